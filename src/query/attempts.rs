//! The attempts of one call: how often, how far apart, and within what time, for STS and IAM
//! alike; and the runtime a call runs on.
//!
//! Invariant: an attempt is made again only after a failure that says it may be, at most
//! `attempts` times in all, 0.4 s, 0.8 s, ... apart, and only while one more attempt still
//! ends within the call's time limit.

use std::future::Future;
use std::time::{Duration, Instant};

/// A failed attempt, and whether making it again may help (and cannot harm).
pub struct Failed<E> {
    /// Why it failed.
    pub error: E,
    /// Whether the call may be made again.
    pub again: bool,
}

impl<E> Failed<E> {
    /// A failure after which the call is not made again.
    pub fn last(error: E) -> Failed<E> {
        Failed {
            error,
            again: false,
        }
    }
}

/// Runs `attempt` until it succeeds or must not be made again: at most `attempts` times, each
/// bounded by `attempt_timeout`, all within `call_timeout`.
pub async fn retried<T, E, F, Fut>(
    attempts: u32,
    attempt_timeout: Duration,
    call_timeout: Duration,
    mut attempt: F,
) -> Result<T, E>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, Failed<E>>>,
{
    let started = Instant::now();
    let mut made = 1;
    loop {
        let failed = match attempt().await {
            Ok(value) => return Ok(value),
            Err(failed) => failed,
        };
        let backoff = Duration::from_millis(200 << made);
        let in_time = started.elapsed() + backoff + attempt_timeout < call_timeout;
        if !failed.again || made >= attempts || !in_time {
            return Err(failed.error);
        }
        tokio::time::sleep(backoff).await;
        made += 1;
    }
}

/// Runs `future` to its end on a runtime of the calling thread's own (one call makes one
/// request at a time: no thread is started).
pub fn block_on<T>(future: impl Future<Output = T>) -> std::io::Result<T> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    Ok(runtime.block_on(future))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    fn count(
        attempts: u32,
        again: bool,
        call_timeout: Duration,
    ) -> (Result<(), &'static str>, u32) {
        let made = Cell::new(0);
        let outcome = block_on(retried(
            attempts,
            Duration::from_millis(1),
            call_timeout,
            || {
                made.set(made.get() + 1);
                async move { Err(Failed { error: "no", again }) }
            },
        ))
        .unwrap();
        (outcome, made.get())
    }

    #[test]
    fn again_only_when_allowed_at_most_so_often_and_in_time() {
        assert_eq!(count(3, true, Duration::from_secs(60)), (Err("no"), 3));
        assert_eq!(count(3, false, Duration::from_secs(60)), (Err("no"), 1));
        assert_eq!(count(1, true, Duration::from_secs(60)), (Err("no"), 1));
        // The first backoff (0.4 s) would end past the limit.
        assert_eq!(count(3, true, Duration::from_millis(300)), (Err("no"), 1));
        let made = Cell::new(0);
        let outcome = block_on(retried(
            3,
            Duration::from_millis(1),
            Duration::from_secs(60),
            || {
                made.set(made.get() + 1);
                let n = made.get();
                async move {
                    if n < 2 {
                        Err(Failed {
                            error: "no",
                            again: true,
                        })
                    } else {
                        Ok(n)
                    }
                }
            },
        ))
        .unwrap();
        assert_eq!(outcome, Ok(2));
    }
}
