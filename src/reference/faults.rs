//! Fault injection (`mfaspec serve --faults throttle=0.2,error500=0.05,delay=50ms`): the
//! reference endpoint throttles, fails and dawdles the way a busy AWS account does, so that
//! tests can prove the harness retries and cleans up. A fault is decided *before* the request
//! is handled, so a faulted request changes nothing — as Cognito's throttling does.
//!
//! Owns: the fault spec and its dice. Uses nothing of the crate.

use std::str::FromStr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// What to inject, per request.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct FaultSpec {
    /// Probability of `TooManyRequestsException` (HTTP 400).
    pub throttle: f64,
    /// Probability of `InternalErrorException` (HTTP 500).
    pub error500: f64,
    /// Each request waits a uniformly random time up to this.
    pub delay: Duration,
    /// Seed for a repeatable sequence of faults.
    pub seed: Option<u64>,
}

/// A `--faults` value that does not parse; names the part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "--faults: `{part}`: {message} (expected e.g. throttle=0.2,error500=0.05,delay=50ms,seed=7)"
)]
pub struct FaultSpecError {
    part: String,
    message: String,
}

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut spec = FaultSpec::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let err = |message: &str| FaultSpecError {
                part: part.to_owned(),
                message: message.to_owned(),
            };
            let (key, value) = part.split_once('=').ok_or_else(|| err("not key=value"))?;
            let probability = || -> Result<f64, FaultSpecError> {
                let p: f64 = value.parse().map_err(|_| err("not a number"))?;
                if (0.0..=1.0).contains(&p) {
                    Ok(p)
                } else {
                    Err(err("a probability is between 0 and 1"))
                }
            };
            match key {
                "throttle" => spec.throttle = probability()?,
                "error500" => spec.error500 = probability()?,
                "delay" => {
                    let ms = value
                        .strip_suffix("ms")
                        .map(str::parse::<u64>)
                        .or_else(|| {
                            value
                                .strip_suffix('s')
                                .map(|s| s.parse::<u64>().map(|n| n * 1000))
                        })
                        .ok_or_else(|| err("a delay ends in ms or s"))?
                        .map_err(|_| err("not a whole number"))?;
                    spec.delay = Duration::from_millis(ms);
                }
                "seed" => spec.seed = Some(value.parse().map_err(|_| err("not a whole number"))?),
                _ => return Err(err("unknown fault; known: throttle, error500, delay, seed")),
            }
        }
        if spec.throttle + spec.error500 > 1.0 {
            return Err(FaultSpecError {
                part: text.to_owned(),
                message: "throttle + error500 exceed 1".into(),
            });
        }
        Ok(spec)
    }
}

/// What a request gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Handle it normally.
    None,
    /// Answer `TooManyRequestsException`.
    Throttle,
    /// Answer `InternalErrorException` with HTTP 500.
    Error500,
}

/// The injector: a spec, a random source and counts.
#[derive(Debug)]
pub struct Faults {
    spec: FaultSpec,
    rng: Mutex<StdRng>,
    throttled: AtomicU64,
    failed: AtomicU64,
}

impl Faults {
    /// An injector for `spec`.
    #[must_use]
    pub fn new(spec: FaultSpec) -> Faults {
        let rng = match spec.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_rng(&mut rand::rng()),
        };
        Faults {
            spec,
            rng: Mutex::new(rng),
            throttled: AtomicU64::new(0),
            failed: AtomicU64::new(0),
        }
    }

    /// Decides the next request's fault and delay.
    pub fn next(&self) -> (Fault, Duration) {
        let mut rng = self
            .rng
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let roll: f64 = rng.random();
        let delay = self.spec.delay.mul_f64(rng.random::<f64>());
        let fault = if roll < self.spec.throttle {
            self.throttled.fetch_add(1, Ordering::Relaxed);
            Fault::Throttle
        } else if roll < self.spec.throttle + self.spec.error500 {
            self.failed.fetch_add(1, Ordering::Relaxed);
            Fault::Error500
        } else {
            Fault::None
        };
        (fault, delay)
    }

    /// Throttles and server errors injected so far.
    #[must_use]
    pub fn counts(&self) -> (u64, u64) {
        (
            self.throttled.load(Ordering::Relaxed),
            self.failed.load(Ordering::Relaxed),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_names_the_bad_part() {
        let spec: FaultSpec = "throttle=0.2, error500=0.05,delay=50ms,seed=7"
            .parse()
            .unwrap();
        assert_eq!(spec.throttle, 0.2);
        assert_eq!(spec.error500, 0.05);
        assert_eq!(spec.delay, Duration::from_millis(50));
        assert_eq!(spec.seed, Some(7));
        assert_eq!(
            "delay=2s".parse::<FaultSpec>().unwrap().delay,
            Duration::from_secs(2)
        );
        let e = "throttle=1.5".parse::<FaultSpec>().unwrap_err().to_string();
        assert!(
            e.contains("`throttle=1.5`") && e.contains("between 0 and 1"),
            "{e}"
        );
        assert!(
            "jitter=3"
                .parse::<FaultSpec>()
                .unwrap_err()
                .to_string()
                .contains("unknown fault")
        );
        assert!("delay=5".parse::<FaultSpec>().is_err());
        assert!("throttle=0.6,error500=0.6".parse::<FaultSpec>().is_err());
    }

    #[test]
    fn injects_at_about_the_asked_rates() {
        let faults = Faults::new("throttle=0.2,error500=0.05,seed=1".parse().unwrap());
        for _ in 0..10_000 {
            faults.next();
        }
        let (t, e) = faults.counts();
        assert!((1_800..2_200).contains(&t), "{t}");
        assert!((400..600).contains(&e), "{e}");
    }
}
