//! A buffered byte stream that behaves like a C stdio `FILE` (as glibc implements it), which
//! is what Lua's io library is written against: a read-ahead buffer with one byte of
//! look-ahead, a write buffer with the three `setvbuf` modes, end-of-file and error
//! indicators that last for one library call (`clearerr` at its start), and the
//! read-after-write / write-after-read switching rules.
//!
//! Errors carry C's `errno` numbers (Linux values) so scripts see what lua5.4 reports.

use std::io::{self, Read, Seek, SeekFrom, Write};
use std::process::{Child, ExitStatus};

/// Size of the read-ahead buffer and of a full write buffer (`BUFSIZ` on glibc).
pub(crate) const BUFFER_SIZE: usize = 8192;

/// `EBADF`: reading a stream opened for writing only, or the reverse.
const BAD_FILE_DESCRIPTOR: i32 = 9;
/// `EINVAL`: seeking before the start of a file.
const INVALID_ARGUMENT: i32 = 22;
/// `ESPIPE`: seeking a pipe.
const ILLEGAL_SEEK: i32 = 29;

/// When written bytes reach the operating system (`setvbuf`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Buffering {
    /// `"no"`: every write goes through at once.
    Unbuffered,
    /// `"full"`: when the buffer is full, on flush, seek, read or close.
    Full,
    /// `"line"`: like full, and also whenever a newline is written.
    Line,
}

/// Where the bytes come from or go to.
pub(crate) enum Source {
    File(std::fs::File),
    Stdin,
    Stdout,
    Stderr,
    /// A process started by `io.popen`: its standard output (read mode) or standard input
    /// (write mode) is the stream.
    Process(Child),
    /// The stream was closed; nothing remains to release.
    Detached,
}

impl Source {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::File(file) => file.read(buffer),
            Source::Stdin => io::stdin().read(buffer),
            Source::Process(child) => match child.stdout.as_mut() {
                Some(pipe) => pipe.read(buffer),
                None => Err(errno(BAD_FILE_DESCRIPTOR)),
            },
            Source::Stdout | Source::Stderr | Source::Detached => Err(errno(BAD_FILE_DESCRIPTOR)),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Source::File(file) => file.write_all(bytes),
            Source::Stdout => {
                let mut out = io::stdout().lock();
                out.write_all(bytes)?;
                out.flush()
            }
            Source::Stderr => io::stderr().write_all(bytes),
            Source::Process(child) => match child.stdin.as_mut() {
                Some(pipe) => pipe.write_all(bytes),
                None => Err(errno(BAD_FILE_DESCRIPTOR)),
            },
            Source::Stdin | Source::Detached => Err(errno(BAD_FILE_DESCRIPTOR)),
        }
    }

    fn seek(&mut self, position: SeekFrom) -> io::Result<u64> {
        match self {
            Source::File(file) => file.seek(position),
            Source::Stdin => seek_standard(&io::stdin(), position),
            Source::Stdout => seek_standard(&io::stdout(), position),
            Source::Stderr => seek_standard(&io::stderr(), position),
            Source::Process(_) | Source::Detached => Err(errno(ILLEGAL_SEEK)),
        }
    }
}

/// Seeks one of the process's standard streams (which works when it is redirected to or
/// from a file) through a duplicate of its descriptor, which shares the file offset.
#[cfg(unix)]
fn seek_standard(stream: &impl std::os::fd::AsFd, position: SeekFrom) -> io::Result<u64> {
    let descriptor = stream.as_fd().try_clone_to_owned()?;
    std::fs::File::from(descriptor).seek(position)
}

#[cfg(not(unix))]
fn seek_standard<T>(_stream: &T, _position: SeekFrom) -> io::Result<u64> {
    Err(errno(ILLEGAL_SEEK))
}

/// An error with a C `errno` value.
pub(crate) fn errno(code: i32) -> io::Error {
    io::Error::from_raw_os_error(code)
}

/// The `whence` of `file:seek`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Whence {
    Set,
    Current,
    End,
}

/// A stdio-like stream. Invariant: `input[input_position..]` are bytes read ahead from the
/// source and not yet consumed; `output` holds bytes written but not yet passed on. At most
/// one of the two is non-empty.
pub(crate) struct Stream {
    source: Source,
    readable: bool,
    writable: bool,
    buffering: Buffering,
    input: Vec<u8>,
    input_position: usize,
    output: Vec<u8>,
    /// End of file was seen since the last `clear_status`.
    at_end: bool,
    /// The first error since the last `clear_status` (C's error indicator, with `errno`).
    error: Option<io::Error>,
}

impl Stream {
    pub(crate) fn new(
        source: Source,
        readable: bool,
        writable: bool,
        buffering: Buffering,
    ) -> Self {
        Stream {
            source,
            readable,
            writable,
            buffering,
            input: Vec::new(),
            input_position: 0,
            output: Vec::new(),
            at_end: false,
            error: None,
        }
    }

    /// Whether this stream reads the process's standard input.
    pub(crate) fn is_standard_input(&self) -> bool {
        matches!(self.source, Source::Stdin)
    }

    /// `clearerr`: forgets end of file and errors (every read call starts with this).
    pub(crate) fn clear_status(&mut self) {
        self.at_end = false;
        self.error = None;
    }

    /// The error recorded since the last `clear_status`, if any (`ferror`).
    pub(crate) fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    // ----- reading -----

    /// The next byte without consuming it (`getc` + `ungetc`), `None` at end of file or
    /// after an error.
    pub(crate) fn peek(&mut self) -> Option<u8> {
        if self.input_position >= self.input.len() && !self.refill() {
            return None;
        }
        self.input.get(self.input_position).copied()
    }

    /// Consumes the byte `peek` returned.
    pub(crate) fn advance(&mut self) {
        if self.input_position < self.input.len() {
            self.input_position += 1;
        }
    }

    /// Reads more bytes from the source into the empty read-ahead buffer. False at end of
    /// file or on error (both sticky until `clear_status`).
    fn refill(&mut self) -> bool {
        if self.at_end || self.error.is_some() {
            return false;
        }
        if !self.readable {
            self.error = Some(errno(BAD_FILE_DESCRIPTOR));
            return false;
        }
        if let Err(error) = self.flush() {
            self.error = Some(error);
            return false;
        }
        self.input.resize(BUFFER_SIZE, 0);
        self.input_position = 0;
        let result = loop {
            match self.source.read(&mut self.input) {
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                other => break other,
            }
        };
        match result {
            Ok(0) => {
                self.input.clear();
                self.at_end = true;
                false
            }
            Ok(count) => {
                self.input.truncate(count);
                true
            }
            Err(error) => {
                self.input.clear();
                self.error = Some(error);
                false
            }
        }
    }

    /// Appends the buffered bytes to `out`, at most `limit` of them; returns how many.
    fn take_buffered(&mut self, out: &mut Vec<u8>, limit: usize) -> usize {
        let available = self.input.get(self.input_position..).unwrap_or_default();
        let count = available.len().min(limit);
        out.extend_from_slice(available.get(..count).unwrap_or_default());
        self.input_position += count;
        count
    }

    /// Reads a line. With `keep_newline` the `'\n'` is part of the result. Returns the bytes
    /// and whether anything was read (a newline or at least one byte).
    pub(crate) fn read_line(&mut self, keep_newline: bool) -> (Vec<u8>, bool) {
        let mut line = Vec::new();
        loop {
            if self.input_position >= self.input.len() && !self.refill() {
                let found = !line.is_empty();
                return (line, found);
            }
            let available = self.input.get(self.input_position..).unwrap_or_default();
            match available.iter().position(|&byte| byte == b'\n') {
                Some(end) => {
                    let keep = if keep_newline { end + 1 } else { end };
                    line.extend_from_slice(available.get(..keep).unwrap_or_default());
                    self.input_position += end + 1;
                    return (line, true);
                }
                None => {
                    let rest = available.len();
                    self.take_buffered(&mut line, rest);
                }
            }
        }
    }

    /// Reads up to `count` bytes (fewer at end of file).
    pub(crate) fn read_bytes(&mut self, count: usize) -> Vec<u8> {
        let mut bytes = Vec::new();
        while bytes.len() < count {
            if self.input_position >= self.input.len() && !self.refill() {
                break;
            }
            let wanted = count - bytes.len();
            self.take_buffered(&mut bytes, wanted);
        }
        bytes
    }

    /// Reads everything up to the end of file.
    pub(crate) fn read_to_end(&mut self) -> Vec<u8> {
        self.read_bytes(usize::MAX)
    }

    // ----- writing -----

    /// `fwrite`: buffers or writes `bytes` according to the buffering mode.
    pub(crate) fn write(&mut self, bytes: &[u8]) -> io::Result<()> {
        if !self.writable {
            return Err(errno(BAD_FILE_DESCRIPTOR));
        }
        self.discard_read_ahead()?;
        match self.buffering {
            Buffering::Unbuffered => {
                self.flush()?;
                self.source.write_all(bytes)
            }
            Buffering::Full => {
                if self.output.len() + bytes.len() > BUFFER_SIZE {
                    self.flush()?;
                }
                if bytes.len() >= BUFFER_SIZE {
                    self.source.write_all(bytes)
                } else {
                    self.output.extend_from_slice(bytes);
                    Ok(())
                }
            }
            Buffering::Line => {
                self.output.extend_from_slice(bytes);
                if self.output.len() >= BUFFER_SIZE {
                    return self.flush();
                }
                match self.output.iter().rposition(|&byte| byte == b'\n') {
                    Some(last_newline) => self.flush_prefix(last_newline + 1),
                    None => Ok(()),
                }
            }
        }
    }

    /// Passes the first `count` buffered bytes on, keeping the rest buffered.
    fn flush_prefix(&mut self, count: usize) -> io::Result<()> {
        let rest = self.output.split_off(count.min(self.output.len()));
        let ready = std::mem::replace(&mut self.output, rest);
        self.source.write_all(&ready)
    }

    /// `fflush`: passes every buffered byte on. The bytes are dropped even on failure (as
    /// glibc does), so one error is reported once.
    pub(crate) fn flush(&mut self) -> io::Result<()> {
        if self.output.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.output);
        self.source.write_all(&pending)
    }

    /// Before writing after reading: moves the source position back over the bytes read
    /// ahead but not consumed, so the write lands where the script thinks it does.
    fn discard_read_ahead(&mut self) -> io::Result<()> {
        let unread = self.input.len().saturating_sub(self.input_position);
        self.input.clear();
        self.input_position = 0;
        self.at_end = false;
        if unread > 0 {
            let back = i64::try_from(unread).unwrap_or(i64::MAX);
            // Pipes cannot go back: the bytes are lost, as with C streams.
            let _ = self.source.seek(SeekFrom::Current(-back));
        }
        Ok(())
    }

    // ----- positioning and modes -----

    /// `fseek` followed by `ftell`: the new position from the start of the file.
    pub(crate) fn seek(&mut self, whence: Whence, offset: i64) -> io::Result<u64> {
        self.flush()?;
        let unread = self.input.len().saturating_sub(self.input_position);
        let position = match whence {
            Whence::Set => match u64::try_from(offset) {
                Ok(offset) => SeekFrom::Start(offset),
                Err(_) => return Err(errno(INVALID_ARGUMENT)),
            },
            Whence::Current => {
                let unread = i64::try_from(unread).unwrap_or(i64::MAX);
                match offset.checked_sub(unread) {
                    Some(offset) => SeekFrom::Current(offset),
                    None => return Err(errno(INVALID_ARGUMENT)),
                }
            }
            Whence::End => SeekFrom::End(offset),
        };
        let result = self.source.seek(position);
        if result.is_ok() {
            self.input.clear();
            self.input_position = 0;
            self.at_end = false;
        }
        result
    }

    /// `setvbuf`: pending output is flushed first, then the mode changes. (glibc ignores the
    /// size when it allocates the buffer itself, and so does this stream.)
    pub(crate) fn set_buffering(&mut self, buffering: Buffering) -> io::Result<()> {
        self.flush()?;
        self.buffering = buffering;
        Ok(())
    }

    /// `fclose` / `pclose`: flushes, releases the source and, for a process, waits for it.
    /// Returns the flush result and the exit status of a process.
    pub(crate) fn close(&mut self) -> (io::Result<()>, Option<io::Result<ExitStatus>>) {
        let flushed = self.flush();
        self.input.clear();
        self.input_position = 0;
        let status = match std::mem::replace(&mut self.source, Source::Detached) {
            Source::Process(child) => Some(wait_for(child)),
            _ => None,
        };
        (flushed, status)
    }
}

/// Closes the pipe to or from a process and waits for it to end (`pclose`).
fn wait_for(mut child: Child) -> io::Result<ExitStatus> {
    drop(child.stdin.take());
    drop(child.stdout.take());
    child.wait()
}

impl Drop for Stream {
    /// A stream dropped without being closed (the VM itself was dropped) still delivers its
    /// buffered output, like C streams at process exit.
    fn drop(&mut self) {
        let _ = self.close();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temporary_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
        let path =
            std::env::temp_dir().join(format!("red_moon_stream_{}_{name}", std::process::id()));
        std::fs::write(&path, contents).ok();
        path
    }

    fn open_stream(path: &std::path::Path, read: bool, write: bool) -> Option<Stream> {
        let file = std::fs::OpenOptions::new()
            .read(read)
            .write(write)
            .open(path)
            .ok()?;
        Some(Stream::new(
            Source::File(file),
            read,
            write,
            Buffering::Full,
        ))
    }

    #[test]
    fn lines_bytes_and_end_of_file() {
        let path = temporary_file("lines", b"one\ntwo\nlast");
        let Some(mut stream) = open_stream(&path, true, false) else {
            panic!("cannot open test file");
        };
        assert_eq!(stream.read_line(false), (b"one".to_vec(), true));
        assert_eq!(stream.read_line(true), (b"two\n".to_vec(), true));
        assert_eq!(stream.peek(), Some(b'l'));
        assert_eq!(stream.read_bytes(2), b"la".to_vec());
        assert_eq!(stream.read_to_end(), b"st".to_vec());
        assert_eq!(stream.read_line(false), (Vec::new(), false));
        assert_eq!(stream.seek(Whence::Current, 0).ok(), Some(12));
        assert_eq!(stream.seek(Whence::Set, 4).ok(), Some(4));
        assert_eq!(stream.read_line(false), (b"two".to_vec(), true));
        assert_eq!(stream.seek(Whence::Current, -2).ok(), Some(6));
        std::fs::remove_file(&path).ok();
    }

    #[test]
    fn wrong_direction_is_bad_file_descriptor() {
        let path = temporary_file("direction", b"data");
        let Some(mut stream) = open_stream(&path, true, false) else {
            panic!("cannot open test file");
        };
        let error = stream.write(b"x").err().and_then(|e| e.raw_os_error());
        assert_eq!(error, Some(BAD_FILE_DESCRIPTOR));
        let Some(mut stream) = open_stream(&path, false, true) else {
            panic!("cannot open test file");
        };
        assert_eq!(stream.peek(), None);
        let error = stream.take_error().and_then(|e| e.raw_os_error());
        assert_eq!(error, Some(BAD_FILE_DESCRIPTOR));
        assert_eq!(
            stream
                .seek(Whence::Set, -1)
                .err()
                .and_then(|e| e.raw_os_error()),
            Some(INVALID_ARGUMENT)
        );
        std::fs::remove_file(&path).ok();
    }

    #[test]
    fn buffering_modes_decide_when_bytes_arrive() {
        let path = temporary_file("buffering", b"");
        let Some(mut stream) = open_stream(&path, true, true) else {
            panic!("cannot open test file");
        };
        let on_disk = |path: &std::path::Path| std::fs::read(path).unwrap_or_default();
        assert!(stream.write(b"ab").is_ok());
        assert_eq!(on_disk(&path), b"".to_vec());
        assert!(stream.set_buffering(Buffering::Line).is_ok());
        assert_eq!(on_disk(&path), b"ab".to_vec());
        assert!(stream.write(b"c\nd").is_ok());
        assert_eq!(on_disk(&path), b"abc\n".to_vec());
        assert!(stream.set_buffering(Buffering::Unbuffered).is_ok());
        assert!(stream.write(b"e").is_ok());
        assert_eq!(on_disk(&path), b"abc\nde".to_vec());
        // Reading after writing sees everything; writing after reading lands after the
        // consumed bytes, not after the read-ahead buffer.
        assert_eq!(stream.seek(Whence::Set, 0).ok(), Some(0));
        assert_eq!(stream.read_bytes(2), b"ab".to_vec());
        assert!(stream.write(b"X").is_ok());
        assert_eq!(on_disk(&path), b"abX\nde".to_vec());
        std::fs::remove_file(&path).ok();
    }
}
