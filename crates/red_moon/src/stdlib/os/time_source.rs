//! Where the os library's time functions (`os.time`, `os.clock`, `os.date`) get the time.
//!
//! Time is a host capability: a VM made with `Vm::default()` sees a fixed time (the epoch),
//! so untrusted scripts are deterministic and replays agree; a game host typically sets the
//! game's time each tick. The `red-moon` interpreter (and `Vm::open_all_libraries`) uses
//! the real clock.

use super::date::Zone;
use crate::interpreter::Vm;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

/// The time source of a VM: plain data, cloned with the VM.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq)]
pub enum TimeSource {
    /// The real clock. `os.time()` is the system's wall clock; `os.clock()` counts the
    /// seconds since this source was installed (the process CPU time that C's `clock`
    /// measures is not available without the C library; for a busy script the two agree);
    /// local time is UTC (the machine's time zone is not consulted).
    System,
    /// A time chosen by the host.
    Fixed {
        /// What `os.time()` returns: seconds since 1970-01-01 00:00:00 UTC.
        unix_time: i64,
        /// What `os.clock()` returns, in seconds.
        cpu_clock: f64,
        /// The local time zone of `os.date`, in seconds east of UTC.
        utc_offset: i64,
    },
}

impl Default for TimeSource {
    /// The epoch, a zero clock and UTC: deterministic.
    fn default() -> Self {
        TimeSource::Fixed {
            unix_time: 0,
            cpu_clock: 0.0,
            utc_offset: 0,
        }
    }
}

impl Vm {
    /// Sets where `os.time`, `os.clock` and `os.date` read the time. Call it again to move
    /// a `Fixed` time forward.
    pub fn set_time_source(&mut self, source: TimeSource) {
        if source == TimeSource::System && self.time_source != TimeSource::System {
            self.host_io.clock_origin = Some(Instant::now());
        }
        self.time_source = source;
    }

    /// The current time source.
    pub fn time_source(&self) -> &TimeSource {
        &self.time_source
    }

    /// `time(NULL)`: the current time in seconds since the epoch.
    pub(crate) fn current_time(&self) -> i64 {
        match &self.time_source {
            TimeSource::System => SystemTime::now().duration_since(UNIX_EPOCH).map_or_else(
                |before| -(before.duration().as_secs() as i64),
                |after| after.as_secs() as i64,
            ),
            TimeSource::Fixed { unix_time, .. } => *unix_time,
        }
    }

    /// `clock() / CLOCKS_PER_SEC`: processor seconds.
    pub(crate) fn processor_clock(&self) -> f64 {
        match &self.time_source {
            TimeSource::System => self
                .host_io
                .clock_origin
                .map_or(0.0, |origin| origin.elapsed().as_secs_f64()),
            TimeSource::Fixed { cpu_clock, .. } => *cpu_clock,
        }
    }

    /// The zone `os.date` and `os.time` use for local time.
    pub(crate) fn local_zone(&self) -> Zone {
        let offset = match &self.time_source {
            TimeSource::System => 0,
            TimeSource::Fixed { utc_offset, .. } => *utc_offset,
        };
        Zone {
            offset_seconds: offset,
            abbreviation: zone_abbreviation(offset),
        }
    }
}

/// `UTC` for offset 0, else the numeric form tz databases use for zones without a name
/// (`+01`, `-0330`).
fn zone_abbreviation(offset: i64) -> Vec<u8> {
    if offset == 0 {
        return b"UTC".to_vec();
    }
    let sign = if offset < 0 { '-' } else { '+' };
    let minutes = offset.unsigned_abs() / 60;
    let (hours, minutes) = (minutes / 60, minutes % 60);
    let text = if minutes == 0 {
        format!("{sign}{hours:02}")
    } else {
        format!("{sign}{hours:02}{minutes:02}")
    };
    text.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn abbreviations() {
        assert_eq!(zone_abbreviation(0), b"UTC".to_vec());
        assert_eq!(zone_abbreviation(3600), b"+01".to_vec());
        assert_eq!(zone_abbreviation(-12_600), b"-0330".to_vec());
    }

    #[test]
    fn default_vm_time_is_fixed_at_the_epoch() {
        let mut vm = Vm::default();
        assert_eq!(vm.current_time(), 0);
        assert_eq!(vm.processor_clock(), 0.0);
        vm.set_time_source(TimeSource::Fixed {
            unix_time: 86_400,
            cpu_clock: 1.5,
            utc_offset: 3600,
        });
        assert_eq!(vm.current_time(), 86_400);
        assert_eq!(vm.processor_clock(), 1.5);
        assert_eq!(vm.local_zone().offset_seconds, 3600);
    }
}
