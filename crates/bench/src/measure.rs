//! Timing one process: wall time from spawn to reaping, and its peak resident memory.

use std::fs::File;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::Result;

/// One timed run of a process.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    /// From spawning the process to reaping it.
    pub wall: Duration,
    /// The process's peak resident set size, where the platform reports it.
    pub max_rss_kib: Option<u64>,
}

/// Runs `cmd` once, with stdout discarded and stderr kept for the error message, and
/// times it. An exit status not in `ok` is an error quoting the end of stderr.
pub fn time_command(cmd: &mut Command, ok: &[i32]) -> Result<Sample> {
    let err_file = tempfile::tempfile()?;
    cmd.stdout(Stdio::null()).stderr(err_file.try_clone()?);
    let start = Instant::now();
    let child = cmd
        .spawn()
        .map_err(|e| format!("cannot run {:?}: {e}", cmd.get_program()))?;
    let (code, max_rss_kib) = reap(child)?;
    let wall = start.elapsed();
    if !ok.contains(&code) {
        return Err(format!("{cmd:?} exited with {code}: {}", tail(err_file)).into());
    }
    Ok(Sample { wall, max_rss_kib })
}

fn tail(mut file: File) -> String {
    use std::io::{Read, Seek, SeekFrom};
    let mut text = String::new();
    let _ = file.seek(SeekFrom::Start(0));
    let _ = file.read_to_string(&mut text);
    let start = text.len().saturating_sub(2000);
    let start = (start..text.len())
        .find(|&i| text.is_char_boundary(i))
        .unwrap_or(text.len());
    text[start..].trim().to_owned()
}

#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
mod sys {
    /// `struct timeval` on 64-bit Linux.
    #[repr(C)]
    #[derive(Default)]
    pub struct Timeval {
        pub sec: i64,
        pub usec: i64,
    }

    /// `struct rusage` on 64-bit Linux: two timevals, then 14 longs of which the first
    /// is `ru_maxrss` in KiB.
    #[repr(C)]
    #[derive(Default)]
    pub struct Rusage {
        pub utime: Timeval,
        pub stime: Timeval,
        pub maxrss: i64,
        pub rest: [i64; 13],
    }

    unsafe extern "C" {
        pub fn wait4(pid: i32, status: *mut i32, options: i32, rusage: *mut Rusage) -> i32;
    }
}

/// Waits for the child with `wait4`, which gives this child's own resource usage
/// (`getrusage(RUSAGE_CHILDREN)` would give the maximum over every child so far).
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn reap(child: std::process::Child) -> Result<(i32, Option<u64>)> {
    let pid = child.id() as i32;
    let mut status = 0i32;
    let mut usage = sys::Rusage::default();
    loop {
        // SAFETY: the pointers are to live locals of the right layout; the child is
        // ours and not yet reaped (std reaps only in wait/try_wait, never on drop).
        let r = unsafe { sys::wait4(pid, &mut status, 0, &mut usage) };
        if r == pid {
            break;
        }
        let err = std::io::Error::last_os_error();
        if err.kind() != std::io::ErrorKind::Interrupted {
            return Err(format!("wait4: {err}").into());
        }
    }
    let code = if status & 0x7f == 0 {
        (status >> 8) & 0xff
    } else {
        128 + (status & 0x7f)
    };
    Ok((code, Some(usage.maxrss.max(0) as u64)))
}

#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn reap(mut child: std::process::Child) -> Result<(i32, Option<u64>)> {
    let status = child.wait()?;
    Ok((status.code().unwrap_or(128), None))
}
