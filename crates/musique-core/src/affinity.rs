//! Binding a pool's threads to CPUs, when the pool has one thread for every
//! CPU the process may run on.
//!
//! Rayon threads sleep between calls, and each call (and, inside faer, each
//! `join`) wakes them. On Linux the kernel picks a CPU for every woken thread,
//! and it can put two of them on one CPU while another CPU idles; they then
//! take turns until the load balancer moves one, milliseconds later. On the
//! 2-vCPU machine of bench/RESULTS.md that happened to a quarter of the
//! two-thread fft2 2048² calls (24-27 ms instead of 19: each thread switched
//! out ~35 times and waited 4-6 ms for a CPU), and to linalg, whose threads
//! wake many times per call, far more: in one process, alternating bound and
//! unbound threads, `solve` 1000 at two threads took 12.96 ms unbound and
//! 9.73 bound (one thread: 13.6), `matmul` 1000 13.35 / 11.88 (p75 16.3 /
//! 12.0).
//!
//! A pool with one thread per allowed CPU loses nothing by binding thread `i`
//! to the `i`-th allowed CPU: it covers every CPU anyway, and several such
//! pools (in several processes) stack evenly. A smaller pool is never bound,
//! since binding it would crowd every process's pool onto the same few CPUs
//! (why OpenMP runtimes leave binding off unless asked). This is done once,
//! as each thread starts; `MUSIQUE_BIND_THREADS=0` turns it off. Elsewhere
//! than Linux, threads are never bound.

/// The CPUs to bind a pool of `threads` threads to, thread `i` on the `i`-th:
/// the CPUs this process may run on, when there are exactly `threads` of
/// them and binding is not turned off.
pub(crate) fn plan(threads: usize) -> Option<Vec<usize>> {
    if matches!(
        std::env::var("MUSIQUE_BIND_THREADS").as_deref(),
        Ok("0" | "false" | "off" | "no")
    ) {
        return None;
    }
    let cpus = os::allowed()?;
    (cpus.len() == threads && threads > 1).then_some(cpus)
}

/// Binds the calling thread to `cpu`; false when the system refused.
pub(crate) fn bind_current(cpu: usize) -> bool {
    os::bind(cpu)
}

#[cfg(target_os = "linux")]
mod os {
    use std::mem::{size_of, zeroed};

    /// The CPUs the calling thread may run on, in increasing order.
    pub(super) fn allowed() -> Option<Vec<usize>> {
        // SAFETY: cpu_set_t is plain bits, filled by the kernel; pid 0 is the
        // calling thread.
        unsafe {
            let mut set: libc::cpu_set_t = zeroed();
            if libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut set) != 0 {
                return None;
            }
            Some(
                (0..libc::CPU_SETSIZE as usize)
                    .filter(|&c| libc::CPU_ISSET(c, &set))
                    .collect(),
            )
        }
    }

    pub(super) fn bind(cpu: usize) -> bool {
        if cpu >= libc::CPU_SETSIZE as usize {
            return false;
        }
        // SAFETY: as above; cpu < CPU_SETSIZE.
        unsafe {
            let mut set: libc::cpu_set_t = zeroed();
            libc::CPU_SET(cpu, &mut set);
            libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), &set) == 0
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod os {
    pub(super) fn allowed() -> Option<Vec<usize>> {
        None
    }

    pub(super) fn bind(_cpu: usize) -> bool {
        false
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn only_a_pool_of_one_thread_per_allowed_cpu_is_bound() {
        let cpus = os::allowed().unwrap();
        assert!(!cpus.is_empty());
        assert!(cpus.windows(2).all(|w| w[0] < w[1]));
        if cpus.len() > 1 {
            assert_eq!(plan(cpus.len()), Some(cpus.clone()));
        }
        assert_eq!(plan(1), None);
        assert_eq!(plan(cpus.len() + 1), None);
        if cpus.len() > 2 {
            assert_eq!(plan(cpus.len() - 1), None);
        }
    }

    #[test]
    fn a_bound_thread_runs_only_on_its_cpu() {
        let cpus = os::allowed().unwrap();
        let last = *cpus.last().unwrap();
        let seen = std::thread::spawn(move || {
            assert!(bind_current(last));
            let on = os::allowed().unwrap();
            // SAFETY: no arguments.
            let now = unsafe { libc::sched_getcpu() };
            (on, now)
        })
        .join()
        .unwrap();
        assert_eq!(seen, (vec![last], last as i32));
        // Other threads keep their affinity.
        assert_eq!(os::allowed().unwrap(), cpus);
    }

    #[test]
    fn a_pool_with_a_thread_per_allowed_cpu_binds_each_thread_to_its_own() {
        let cpus = os::allowed().unwrap();
        let pool = crate::pool(cpus.len());
        if cpus.len() == 1 {
            assert_eq!(pool.cpus(), None);
            return;
        }
        assert_eq!(pool.cpus(), Some(&cpus[..]));
        let each = pool.broadcast(|ctx| (ctx.index(), os::allowed().unwrap()));
        for (i, on) in each {
            assert_eq!(on, vec![cpus[i]], "thread {i}");
        }
        // A pool of another size is left free.
        let small = crate::pool(cpus.len() + 1);
        assert_eq!(small.cpus(), None);
        let each = small.broadcast(|_| os::allowed().unwrap());
        assert!(each.iter().all(|on| *on == cpus));
    }
}
