//! Interrupting a run from another thread: what the CLI's Ctrl-C does.
//!
//! Games bound scripts with fuel; a command-line interpreter runs them unmetered and stops
//! them when the user asks. An [`Interrupt`] is a flag any thread may set; a VM given one
//! (`Vm::set_interrupt`) looks at it every few instructions, at the point where fuel would
//! run out, so the interpreter loop pays nothing extra per instruction.

use super::vm::Vm;
use super::LuaResult;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// A switch that stops a VM's run with the Lua error "interrupted!", raised at an
/// instruction boundary (so `pcall` can catch it). Clones share the switch; it is `Send`
/// and `Sync`, for a signal-handling thread.
///
/// ```
/// use red_moon::interpreter::{Interrupt, Vm};
///
/// let mut vm = Vm::default();
/// let interrupt = Interrupt::new();
/// vm.set_interrupt(Some(interrupt.clone()), 10_000);
/// interrupt.interrupt(); // from any thread, e.g. on Ctrl-C
/// let error = vm.context().exec::<()>(b"while true do end", "=loop").unwrap_err();
/// assert!(error.to_string().contains("interrupted!"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct Interrupt(Arc<AtomicBool>);

impl Interrupt {
    /// A switch that is not set.
    pub fn new() -> Self {
        Interrupt::default()
    }

    /// Asks the VMs watching this switch to stop at their next check.
    pub fn interrupt(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the switch was set; resets it (one interrupt stops one run).
    fn take(&self) -> bool {
        self.0.swap(false, Ordering::Relaxed)
    }
}

/// A VM's watched switch and the instructions between checks. Host-side: never
/// serialized, and a clone of the VM starts without one (a clone is independent).
#[derive(Debug, Default)]
pub(crate) struct InterruptWatch(Option<(Interrupt, i64)>);

impl Clone for InterruptWatch {
    fn clone(&self) -> Self {
        InterruptWatch(None)
    }
}

impl Vm {
    /// Makes runs unmetered and interruptible: every `check_every` instructions the VM
    /// looks at `interrupt` and, if it was set, raises "interrupted!"; otherwise its fuel
    /// is refilled, so runs never pause or run out of fuel. `None` returns to metered runs
    /// (with the fuel left at that point).
    pub fn set_interrupt(&mut self, interrupt: Option<Interrupt>, check_every: i64) {
        let check_every = check_every.max(1);
        self.interrupt_watch = InterruptWatch(interrupt.map(|i| (i, check_every)));
        if self.interrupt_watch.0.is_some() {
            self.set_remaining_fuel(check_every);
        }
    }

    /// In unmetered runs, refills fuel a library function used up (without looking at the
    /// switch: as in `lua`, a long library call is not interrupted); `false` otherwise.
    pub(crate) fn refill_unmetered(&mut self) -> bool {
        let Some(check_every) = self.interrupt_watch.0.as_ref().map(|w| w.1) else {
            return false;
        };
        self.set_remaining_fuel(check_every);
        true
    }

    /// Called where real fuel ran out: with a watched switch, either the interrupt error
    /// or a refill (`Some(Ok(false))`: keep running); `None` without one.
    pub(crate) fn check_interrupt(&mut self) -> Option<LuaResult<bool>> {
        let (interrupt, check_every) = self.interrupt_watch.0.clone()?;
        if interrupt.take() {
            return Some(Err(self.error_message("interrupted!")));
        }
        self.set_remaining_fuel(check_every);
        Some(Ok(false))
    }
}
