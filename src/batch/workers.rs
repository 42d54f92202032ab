//! A fixed pool of worker threads for numbered tasks whose results are consumed in task order,
//! with a watchdog that gives up a task past its time budget.
//!
//! - Workers take tasks in order, at most `window` tasks ahead of the consumer: the results
//!   waiting in memory are bounded, whatever the size of the run.
//! - The consumer (the caller's thread) receives results, puts them back in order and hands them
//!   to its sink; between results it is the watchdog: a task running longer than the budget is
//!   given up — its result is made by `give_up` — and a replacement worker is started, so `jobs`
//!   workers stay live. The given-up thread is forgotten: if it ever finishes, it drops its
//!   result and ends.
//! - Workers live for the whole run. One thread per task would be simpler, but every new thread
//!   gets fresh allocator state (glibc arenas, caches) and the process's resident memory grew
//!   with the corpus that way (peak RSS at 10,000 documents 250–283 MB, 209 MB with this pool
//!   alone).
//!
//! Why not a rayon pool (the batch uses one where work cannot hang, to stat the inputs): a task
//! that loops holds its thread for good, and a rayon pool cannot give a thread up or grow to
//! replace it.

use std::collections::{BTreeMap, HashMap};
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use crate::error::Error;

/// Stack of a worker thread: deep documents (nested tables, long content streams) recurse in
/// the readers. Only the pages touched are resident.
const STACK_BYTES: usize = 64 << 20;

/// Why a task's result had to be made up.
#[derive(Debug, Clone)]
pub enum GiveUp {
    /// It ran longer than the budget.
    Timeout(Duration),
    /// It panicked outside the task's own guard (the message).
    Panic(String),
}

/// How the pool runs.
#[derive(Debug, Clone)]
pub struct PoolOptions {
    /// Live workers.
    pub jobs: usize,
    /// How many tasks past the last consumed one a worker may start.
    pub window: usize,
    /// Time budget of one task.
    pub budget: Duration,
}

/// What a running task has noted about itself so far, for a result made without it.
pub struct Notes<N> {
    shared: Arc<Shared<N>>,
    task: usize,
}

impl<N> Notes<N> {
    /// Records `note` as what is known of the task (replacing the last note).
    pub fn set(&self, note: N) {
        if let Some(r) = self.shared.lock().running.get_mut(&self.task) {
            r.note = note;
        }
    }
}

struct Shared<N> {
    state: Mutex<State<N>>,
    /// Signalled when the consumer moves on or the run stops.
    moved: Condvar,
    tasks: usize,
    window: usize,
}

impl<N> Shared<N> {
    fn lock(&self) -> MutexGuard<'_, State<N>> {
        // A worker never panics while holding the lock; recover the state if one somehow did.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

struct State<N> {
    /// The next task to start.
    next: usize,
    /// Tasks consumed so far (in order).
    consumed: usize,
    running: HashMap<usize, Running<N>>,
    /// The run is over (done, or the consumer failed): workers end.
    stop: bool,
}

struct Running<N> {
    since: Instant,
    note: N,
    given_up: bool,
}

type Work<T, N> = Arc<dyn Fn(usize, &Notes<N>) -> T + Send + Sync>;
type Made<T, N> = Arc<dyn Fn(usize, N, GiveUp) -> T + Send + Sync>;

/// Runs `work` for tasks `0..tasks` on `opts.jobs` workers and hands each result to `sink` in
/// task order. A task over the budget, or one that panics, gets `give_up`'s result instead.
/// Returns the first error of `sink` (the workers then stop), or an error if no worker thread
/// can be started.
pub fn run_ordered<T, N, W, G, S>(
    tasks: usize,
    opts: &PoolOptions,
    work: W,
    give_up: G,
    mut sink: S,
) -> Result<(), Error>
where
    T: Send + 'static,
    N: Default + Send + 'static,
    W: Fn(usize, &Notes<N>) -> T + Send + Sync + 'static,
    G: Fn(usize, N, GiveUp) -> T + Send + Sync + 'static,
    S: FnMut(usize, T) -> Result<(), Error>,
{
    if tasks == 0 {
        return Ok(());
    }
    let shared = Arc::new(Shared {
        state: Mutex::new(State { next: 0, consumed: 0, running: HashMap::new(), stop: false }),
        moved: Condvar::new(),
        tasks,
        window: opts.window.max(1),
    });
    let (work, give_up): (Work<T, N>, Made<T, N>) = (Arc::new(work), Arc::new(give_up));
    let (tx, rx) = mpsc::channel::<(usize, T)>();
    let mut started = 0;
    let mut start_worker = || -> Result<(), Error> {
        let (shared, work, give_up, tx) = (Arc::clone(&shared), Arc::clone(&work), Arc::clone(&give_up), tx.clone());
        started += 1;
        std::thread::Builder::new()
            .name(format!("worker {started}"))
            .stack_size(STACK_BYTES)
            .spawn(move || worker(&shared, &*work, &*give_up, &tx))
            .map(drop)
            .map_err(|err| Error::Unsupported(format!("cannot start a worker thread: {err} (try fewer --jobs)")))
    };
    for _ in 0..opts.jobs.max(1) {
        start_worker()?;
    }

    let stop = |shared: &Shared<N>| {
        shared.lock().stop = true;
        shared.moved.notify_all();
    };
    // The watchdog looks at the running tasks at least this often.
    let tick = (opts.budget / 8).clamp(Duration::from_millis(5), Duration::from_millis(500));
    let mut waiting: BTreeMap<usize, T> = BTreeMap::new();
    let mut next = 0;
    while next < tasks {
        match rx.recv_timeout(tick) {
            Ok((i, result)) => {
                waiting.insert(i, result);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            // Every worker holds a sender until it ends, and none ends before its results are
            // sent; this cannot happen while tasks are left, but never wait forever on it.
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                stop(&shared);
                return Err(Error::Malformed(format!("the workers ended with {} of {tasks} files done", next)));
            }
        }
        let late: Vec<(usize, N)> = {
            let mut state = shared.lock();
            let mut late = Vec::new();
            for (&i, r) in state.running.iter_mut() {
                if !r.given_up && r.since.elapsed() > opts.budget {
                    r.given_up = true;
                    late.push((i, std::mem::take(&mut r.note)));
                }
            }
            late
        };
        for (i, note) in late {
            waiting.insert(i, give_up(i, note, GiveUp::Timeout(opts.budget)));
            if let Err(e) = start_worker() {
                stop(&shared);
                return Err(e);
            }
        }
        while let Some(result) = waiting.remove(&next) {
            if let Err(e) = sink(next, result) {
                stop(&shared);
                return Err(e);
            }
            next += 1;
            shared.lock().consumed = next;
            shared.moved.notify_all();
        }
    }
    stop(&shared);
    Ok(())
}

fn worker<T, N: Default>(
    shared: &Arc<Shared<N>>,
    work: &(dyn Fn(usize, &Notes<N>) -> T + Send + Sync),
    give_up: &(dyn Fn(usize, N, GiveUp) -> T + Send + Sync),
    tx: &mpsc::Sender<(usize, T)>,
) {
    loop {
        let task = {
            let mut state = shared.lock();
            while !state.stop && state.next < shared.tasks && state.next >= state.consumed + shared.window {
                state = shared.moved.wait(state).unwrap_or_else(|e| e.into_inner());
            }
            if state.stop || state.next >= shared.tasks {
                return;
            }
            let task = state.next;
            state.next += 1;
            state.running.insert(task, Running { since: Instant::now(), note: N::default(), given_up: false });
            task
        };
        let notes = Notes { shared: Arc::clone(shared), task };
        let result = panic::catch_unwind(AssertUnwindSafe(|| work(task, &notes)));
        let running = shared.lock().running.remove(&task);
        let result = match (running, result) {
            // Given up by the watchdog: its result is made, and a replacement runs.
            (Some(Running { given_up: true, .. }), _) | (None, _) => return,
            (Some(_), Ok(result)) => result,
            (Some(r), Err(payload)) => {
                let message = crate::error::caught_panic(payload.as_ref());
                give_up(task, r.note, GiveUp::Panic(message))
            }
        };
        if tx.send((task, result)).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn opts(jobs: usize, window: usize, budget_ms: u64) -> PoolOptions {
        PoolOptions { jobs, window, budget: Duration::from_millis(budget_ms) }
    }

    #[test]
    fn results_come_in_task_order_whatever_the_finishing_order() {
        let mut seen = Vec::new();
        // Early tasks are the slowest, so later ones finish first.
        let work = |i: usize, _: &Notes<()>| {
            std::thread::sleep(Duration::from_millis(((20 - i) % 7) as u64));
            i * 10
        };
        run_ordered(
            20,
            &opts(3, 4, 10_000),
            work,
            |_, _, _| usize::MAX,
            |i, r| {
                seen.push((i, r));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, (0..20).map(|i| (i, i * 10)).collect::<Vec<_>>());
    }

    #[test]
    fn workers_stay_within_the_window() {
        // A task may start only when the task `window` places before it is consumed.
        let consumed = Arc::new(AtomicUsize::new(0));
        let worst = Arc::new(AtomicUsize::new(0));
        let (c, w) = (Arc::clone(&consumed), Arc::clone(&worst));
        let work = move |i: usize, _: &Notes<()>| {
            w.fetch_max(i - c.load(Ordering::SeqCst).min(i), Ordering::SeqCst);
            i
        };
        run_ordered(
            200,
            &opts(2, 3, 10_000),
            work,
            |i, _, _| i,
            |i, _| {
                std::thread::sleep(Duration::from_micros(200));
                consumed.store(i + 1, Ordering::SeqCst);
                Ok(())
            },
        )
        .unwrap();
        let worst = worst.load(Ordering::SeqCst);
        assert!(worst < 3, "a task started {worst} places ahead of the consumer, window 3");
    }

    #[test]
    fn a_looping_task_is_given_up_and_the_rest_still_run_on_a_replacement() {
        // One job: without a replacement worker, nothing after task 2 would run.
        let mut seen = Vec::new();
        let work = |i: usize, notes: &Notes<String>| {
            notes.set(format!("task {i} started"));
            if i == 2 {
                std::thread::sleep(Duration::from_secs(3600));
            }
            format!("done {i}")
        };
        let give_up = |i: usize, note: String, why: GiveUp| format!("gave up {i} ({note}) after {why:?}");
        run_ordered(5, &opts(1, 2, 100), work, give_up, |i, r| {
            seen.push((i, r));
            Ok(())
        })
        .unwrap();
        assert_eq!(seen.len(), 5);
        assert_eq!(seen[2].1, "gave up 2 (task 2 started) after Timeout(100ms)");
        for i in [0, 1, 3, 4] {
            assert_eq!(seen[i], (i, format!("done {i}")));
        }
    }

    #[test]
    fn a_panicking_task_gets_a_made_result_and_its_worker_goes_on() {
        let mut seen = Vec::new();
        let work = |i: usize, _: &Notes<()>| {
            if i == 1 {
                panic!("task one breaks");
            }
            format!("done {i}")
        };
        let give_up = |i: usize, _: (), why: GiveUp| format!("gave up {i}: {why:?}");
        run_ordered(3, &opts(1, 2, 10_000), work, give_up, |_, r| {
            seen.push(r);
            Ok(())
        })
        .unwrap();
        assert_eq!(seen, ["done 0", "gave up 1: Panic(\"task one breaks\")", "done 2"]);
    }

    #[test]
    fn a_sink_error_stops_the_run_and_is_returned() {
        let err = run_ordered(
            1000,
            &opts(2, 4, 10_000),
            |i, _: &Notes<()>| i,
            |i, _, _| i,
            |i, _| {
                if i == 10 {
                    Err(Error::Malformed("disk full".into()))
                } else {
                    Ok(())
                }
            },
        )
        .unwrap_err();
        assert_eq!(err.to_string(), "disk full");
    }
}
