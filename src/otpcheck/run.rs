//! Drives implementations through the catalogue: external processes over the protocol (one
//! long-lived process, or a command per request), each under every time zone asked for, and
//! classifies each answer against the case's expectation. Then the speed: codes per second
//! through the same protocol, the process kept alive and its start-up excluded.
//!
//! Owns: running adapters and the outcome of a case. Uses: [`super::protocol`],
//! [`super::catalogue`].

use std::process::Stdio;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use super::catalogue::{Case, Expect};
use super::model::{Adapter, Form, Outcome, Report, SPEED_ROUNDS};
use super::protocol::{Answer, Request};

/// How long one answer may take, unless [`Options::timeout`] says otherwise.
pub const ANSWER_TIMEOUT: Duration = Duration::from_secs(5);

/// Classifies `answer` for `case`.
#[must_use]
pub fn classify(case: &Case, answer: Result<Answer, Failure>) -> Outcome {
    classify_as(&case.expect, answer)
}

fn classify_as(expect: &Expect, answer: Result<Answer, Failure>) -> Outcome {
    use super::protocol::{ACCEPT, REFUSE};
    match (answer, expect) {
        (Err(Failure::Timeout), _) => Outcome::Timeout,
        (Err(Failure::Crash { reason, stderr }), _) => Outcome::Crash { reason, stderr },
        (Err(Failure::GivenUp(reason)), _) => Outcome::NotRun { reason },
        (Ok(Answer::Unsupported(what)), _) => Outcome::NotSupported { what },
        (Ok(Answer::Code(got)), Expect::Accept | Expect::Refuse | Expect::Observe)
            if got != ACCEPT && got != REFUSE =>
        {
            Outcome::Crash {
                reason: format!(
                    "`ok {}` is not a verdict (ok accept | ok refuse)",
                    got.chars().take(40).collect::<String>()
                ),
                stderr: Vec::new(),
            }
        }
        (Ok(Answer::Code(got)), Expect::Accept) if got == ACCEPT => Outcome::Pass,
        (Ok(Answer::Code(got)), Expect::Refuse) if got == REFUSE => Outcome::Pass,
        (Ok(Answer::Code(got)), Expect::Accept | Expect::Refuse) => Outcome::WrongVerdict {
            expected: if got == ACCEPT { REFUSE } else { ACCEPT }.to_owned(),
            got,
        },
        (Ok(Answer::Code(got)), Expect::Observe) => Outcome::Observed {
            accepted: got == ACCEPT,
            reason: None,
        },
        (Ok(Answer::Reject(reason)), Expect::Observe) => Outcome::Observed {
            accepted: false,
            reason: Some(reason),
        },
        (Ok(Answer::Reject(reason)), Expect::Refuse) => Outcome::RejectedAcceptable { reason },
        (Ok(Answer::Reject(reason)), Expect::Accept) => Outcome::RejectedNotAcceptable {
            reason,
            expected: ACCEPT.to_owned(),
        },
        (Ok(Answer::Code(got)), Expect::Code(e) | Expect::CodeOrReject(e)) if got == *e => {
            Outcome::Pass
        }
        (Ok(Answer::Code(got)), Expect::Code(e) | Expect::CodeOrReject(e)) => Outcome::WrongCode {
            expected: e.clone(),
            got,
        },
        (Ok(Answer::Code(got)), Expect::Reject) => Outcome::WrongCode {
            expected: "reject".into(),
            got,
        },
        (Ok(Answer::Reject(reason)), Expect::Reject | Expect::CodeOrReject(_)) => {
            Outcome::RejectedAcceptable { reason }
        }
        (Ok(Answer::Reject(reason)), Expect::Code(e)) => Outcome::RejectedNotAcceptable {
            reason,
            expected: e.clone(),
        },
    }
}

/// Classifies a case from its answers: the one answer, or for a repeated case the second,
/// once the first has been an acceptance (a first refusal is classified as one that had to
/// accept).
fn classify_answers(
    case: &Case,
    first: Result<Answer, Failure>,
    second: impl FnOnce() -> Result<Answer, Failure>,
) -> Outcome {
    if !case.repeat {
        return classify(case, first);
    }
    match first {
        Ok(Answer::Code(ref got)) if got == super::protocol::ACCEPT => classify(case, second()),
        other => classify_as(&Expect::Accept, other),
    }
}

/// Runs `cases` in-process against `implementation` (a Rust crate behind the
/// [`super::core::Implementation`] trait): the same classification as over the protocol, a panic
/// being the crash it would be in a process.
pub fn in_process(
    implementation: &mut dyn super::core::Implementation,
    cases: &[Case],
) -> std::collections::BTreeMap<String, Outcome> {
    let mut ask = |request: &Request| {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            implementation.answer(request)
        }))
        .map_err(|panic| {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic".to_owned());
            Failure::crash(format!("panicked: {what}"))
        })
    };
    cases
        .iter()
        .map(|case| {
            let first = ask(&case.request);
            let outcome = classify_answers(case, first, || ask(&case.request));
            (case.id.clone(), outcome)
        })
        .collect()
}

/// Why no answer came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Failure {
    /// No answer in time.
    Timeout,
    /// The process died or broke the protocol.
    Crash {
        /// What happened.
        reason: String,
        /// The last lines of the adapter's standard error.
        stderr: Vec<String>,
    },
    /// The adapter had been given up on: it was not asked.
    GivenUp(String),
}

impl Failure {
    fn crash(reason: impl Into<String>) -> Failure {
        Failure::Crash {
            reason: reason.into(),
            stderr: Vec::new(),
        }
    }

    /// The failure, its standard error now known.
    fn with_stderr(self, tail: Vec<String>) -> Failure {
        match self {
            Failure::Crash { reason, stderr } if stderr.is_empty() => Failure::Crash {
                reason,
                stderr: tail,
            },
            other => other,
        }
    }
}

/// Lines of an adapter's standard error kept: the last ones, each cut to
/// [`STDERR_LINE_CHARS`] characters.
pub const STDERR_LINES: usize = 20;
/// The longest standard-error line kept, in characters.
pub const STDERR_LINE_CHARS: usize = 300;

/// The last [`STDERR_LINES`] lines of `text`.
fn tail_of(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(STDERR_LINES)..]
        .iter()
        .map(|l| l.chars().take(STDERR_LINE_CHARS).collect())
        .collect()
}

/// The standard error of a running process, its last lines kept as they come.
#[derive(Clone, Default)]
struct StderrTail(std::sync::Arc<std::sync::Mutex<std::collections::VecDeque<String>>>);

impl StderrTail {
    fn follow(&self, stderr: tokio::process::ChildStderr) -> tokio::task::JoinHandle<()> {
        let lines = self.0.clone();
        tokio::spawn(async move {
            let mut reader = BufReader::new(stderr);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match reader.read_until(b'\n', &mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let line = String::from_utf8_lossy(&buf);
                let line = line.trim_end();
                if line.trim().is_empty() {
                    continue;
                }
                let mut kept = lines
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if kept.len() == STDERR_LINES {
                    kept.pop_front();
                }
                kept.push_back(line.chars().take(STDERR_LINE_CHARS).collect());
            }
        })
    }

    fn lines(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .cloned()
            .collect()
    }
}

/// A running line adapter.
struct Process {
    child: tokio::process::Child,
    stdin: tokio::process::ChildStdin,
    stdout: BufReader<tokio::process::ChildStdout>,
    stderr: StderrTail,
    follower: Option<tokio::task::JoinHandle<()>>,
}

fn shell(command: &str, tz: &str) -> tokio::process::Command {
    let mut c = tokio::process::Command::new("sh");
    c.arg("-c")
        .arg(format!("exec {command}"))
        .env("TZ", tz)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    c
}

impl Process {
    fn start(command: &str, tz: &str) -> Result<Process, String> {
        let mut child = shell(command, tz)
            .spawn()
            .map_err(|e| format!("cannot start `{command}`: {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("no stdout")?);
        let stderr = StderrTail::default();
        let follower = child.stderr.take().map(|e| stderr.follow(e));
        Ok(Process {
            child,
            stdin,
            stdout,
            stderr,
            follower,
        })
    }

    /// The last lines of its standard error: once the process has ended, all it wrote
    /// (waiting a moment for the pipe to drain).
    async fn stderr_tail(&mut self) -> Vec<String> {
        if let Some(follower) = self.follower.take() {
            let exited = tokio::time::timeout(Duration::from_millis(500), self.child.wait())
                .await
                .is_ok();
            if exited {
                let _ = tokio::time::timeout(Duration::from_millis(500), follower).await;
            }
        }
        self.stderr.lines()
    }

    async fn send(&mut self, line: &str, timeout: Duration) -> Result<String, Failure> {
        let exchange = async {
            self.stdin
                .write_all(format!("{line}\n").as_bytes())
                .await
                .map_err(|e| Failure::crash(format!("writing the request: {e}")))?;
            self.stdin
                .flush()
                .await
                .map_err(|e| Failure::crash(format!("writing the request: {e}")))?;
            let mut answer = String::new();
            let n = self
                .stdout
                .read_line(&mut answer)
                .await
                .map_err(|e| Failure::crash(format!("reading the answer: {e}")))?;
            if n == 0 {
                let status = tokio::time::timeout(Duration::from_millis(500), self.child.wait())
                    .await
                    .ok()
                    .and_then(Result::ok);
                return Err(Failure::crash(match status {
                    Some(s) => format!("the process exited ({s})"),
                    None => "the process closed its output".into(),
                }));
            }
            Ok(answer)
        };
        let answer = tokio::time::timeout(timeout, exchange)
            .await
            .unwrap_or(Err(Failure::Timeout));
        match answer {
            Err(failure @ Failure::Crash { .. }) => {
                Err(failure.with_stderr(self.stderr_tail().await))
            }
            other => other,
        }
    }
}

/// One adapter, under one time zone, ready for requests.
pub struct Running {
    adapter: Adapter,
    tz: String,
    timeout: Duration,
    process: Option<Process>,
    /// Timeouts in a row: after [`GIVE_UP_AFTER`], the adapter is not asked again.
    timeouts: u32,
    /// Starts in a row that did not answer the probe.
    failed_starts: u32,
    /// Whether the adapter has answered anything yet.
    answered: bool,
    /// Why the adapter was given up on: every later request is [`Failure::GivenUp`].
    given_up: Option<String>,
}

/// Timeouts in a row after which an adapter counts as hung: every later request is a
/// timeout at once, so a hung implementation costs seconds, not hours.
pub const GIVE_UP_AFTER: u32 = 3;

/// Starts in a row that did not answer the probe after which an adapter is given up on.
pub const GIVE_UP_STARTS: u32 = 3;

/// The request every process answers first, before any case (its answer is not judged,
/// only that one comes): RFC 6238's first vector. A process that dies or hangs on it
/// could not be started; one that answers it and dies on a case crashed on that case.
pub const PROBE: &str = "totp SHA1 8 30 0 59 hex 3132333435363738393031323334353637383930";

impl Running {
    /// Prepares `adapter` under `TZ=tz` (a line adapter starts on the first request); an
    /// answer may take `timeout`.
    #[must_use]
    pub fn new(adapter: &Adapter, tz: &str, timeout: Duration) -> Running {
        Running {
            adapter: adapter.clone(),
            tz: tz.to_owned(),
            timeout,
            process: None,
            timeouts: 0,
            failed_starts: 0,
            answered: false,
            given_up: None,
        }
    }

    /// Why the adapter was given up on, when it never answered at all: it could not be
    /// started. `None` once it has answered anything, even if given up on later.
    #[must_use]
    pub fn never_started(&self) -> Option<&str> {
        (!self.answered)
            .then_some(self.given_up.as_deref())
            .flatten()
    }

    async fn line(&mut self, line: &str, fields: &[String]) -> Result<String, Failure> {
        if let Some(why) = &self.given_up {
            return Err(Failure::GivenUp(why.clone()));
        }
        if self.timeouts >= GIVE_UP_AFTER {
            return Err(Failure::Timeout);
        }
        let answer = self.exchange(line, fields).await;
        match answer {
            Err(Failure::Timeout) => self.timeouts += 1,
            Err(Failure::GivenUp(_)) => {}
            Err(Failure::Crash { .. }) => self.timeouts = 0,
            Ok(_) => {
                self.timeouts = 0;
                self.answered = true;
            }
        }
        answer
    }

    /// Gives the adapter up after a start that did not answer the probe, once
    /// [`GIVE_UP_STARTS`] have failed in a row.
    fn failed_start(&mut self, failure: Failure) -> Failure {
        self.failed_starts += 1;
        let why = match &failure {
            Failure::Timeout => format!("no answer to the probe in {:?}", self.timeout),
            Failure::Crash { reason, stderr } if stderr.is_empty() => reason.clone(),
            Failure::Crash { reason, stderr } => {
                format!("{reason}; its stderr ended: {}", stderr.join(" | "))
            }
            Failure::GivenUp(why) => why.clone(),
        };
        if self.failed_starts >= GIVE_UP_STARTS {
            self.given_up = Some(format!(
                "given up after {} starts in a row that did not answer the probe `{PROBE}`: {why}",
                self.failed_starts
            ));
        }
        match failure {
            Failure::Crash { reason, stderr } => Failure::Crash {
                reason: format!("the adapter did not start: {reason}"),
                stderr,
            },
            other => other,
        }
    }

    /// Starts the line process, which must answer [`PROBE`] (with any protocol answer).
    async fn start(&mut self) -> Result<(), Failure> {
        let mut process = Process::start(&self.adapter.command, &self.tz)
            .map_err(|e| self.failed_start(Failure::crash(e)))?;
        match process.send(PROBE, self.timeout).await {
            Ok(answer) => match Answer::parse(&answer) {
                Ok(_) => {
                    self.failed_starts = 0;
                    self.answered = true;
                    self.process = Some(process);
                    Ok(())
                }
                Err(e) => {
                    let stderr = process.stderr_tail().await;
                    Err(self.failed_start(Failure::Crash {
                        reason: format!("its answer to the probe: {e}"),
                        stderr,
                    }))
                }
            },
            Err(failure) => Err(self.failed_start(failure)),
        }
    }

    /// Runs the per-call command with `fields`.
    async fn call(&self, fields: &[String]) -> Result<String, Failure> {
        let mut c = shell(&format!("{} \"$@\"", self.adapter.command), &self.tz);
        c.arg("sh").args(fields).stdin(Stdio::null());
        let run = async {
            let out = c
                .output()
                .await
                .map_err(|e| Failure::crash(format!("cannot run the command: {e}")))?;
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            match text.lines().next() {
                Some(line) => Ok(line.to_owned()),
                None => Err(Failure::Crash {
                    reason: format!("the command printed nothing ({})", out.status),
                    stderr: tail_of(&String::from_utf8_lossy(&out.stderr)),
                }),
            }
        };
        tokio::time::timeout(self.timeout, run)
            .await
            .unwrap_or(Err(Failure::Timeout))
    }

    async fn exchange(&mut self, line: &str, fields: &[String]) -> Result<String, Failure> {
        match self.adapter.form {
            Form::Line => {
                if self.process.is_none() {
                    self.start().await?;
                }
                let process = self.process.as_mut().ok_or(Failure::Timeout)?;
                let answer = process.send(line, self.timeout).await;
                if answer.is_err() {
                    // A dead or stuck process is replaced for the next request.
                    self.process = None;
                }
                answer
            }
            Form::PerCall => {
                if !self.answered {
                    // The probe, until the command has answered once.
                    let probe: Vec<String> = PROBE.split(' ').map(str::to_owned).collect();
                    match self.call(&probe).await {
                        Ok(answer) if Answer::parse(&answer).is_ok() => {
                            self.failed_starts = 0;
                            self.answered = true;
                        }
                        Ok(answer) => {
                            return Err(self.failed_start(Failure::crash(format!(
                                "its answer to the probe: {}",
                                Answer::parse(&answer).err().unwrap_or_default()
                            ))));
                        }
                        Err(failure) => return Err(self.failed_start(failure)),
                    }
                }
                self.call(fields).await
            }
        }
    }

    /// Sends `request` and reads the answer.
    pub async fn answer(&mut self, request: &Request) -> Result<Answer, Failure> {
        let text = self.line(&request.line(), &request.fields()).await?;
        Answer::parse(&text).map_err(Failure::crash)
    }

    /// Runs `case` (twice over, for a repeated case) and classifies it.
    pub async fn outcome(&mut self, case: &Case) -> Outcome {
        let first = self.answer(&case.request).await;
        let second = if case.repeat
            && matches!(&first, Ok(Answer::Code(a)) if a == super::protocol::ACCEPT)
        {
            Some(self.answer(&case.request).await)
        } else {
            None
        };
        classify_answers(case, first, || second.unwrap_or(Err(Failure::Timeout)))
    }

    /// `mode reuse` / `mode construct`: `Ok(true)` if the adapter takes it.
    pub async fn mode(&mut self, reuse: bool) -> Result<bool, Failure> {
        let word = if reuse { "reuse" } else { "construct" };
        if self.adapter.form == Form::PerCall {
            return Ok(!reuse);
        }
        let text = self.line(&format!("mode {word}"), &[]).await?;
        Ok(text.trim_end() == "ok")
    }

    /// Codes per second for `requests`, written ahead of the answers so the round trips
    /// overlap (a line adapter; the first request, which may start the process, is not
    /// counted). `None` for a per-call adapter or when an answer does not come.
    pub async fn speed(&mut self, requests: &[Request]) -> Option<f64> {
        if self.adapter.form != Form::Line || requests.len() < 2 {
            return None;
        }
        self.answer(&requests[0]).await.ok()?;
        let Process { stdin, stdout, .. } = self.process.as_mut()?;
        let lines: String = requests[1..].iter().map(|r| r.line() + "\n").collect();
        let n = requests.len() - 1;
        let started = Instant::now();
        let write = async {
            stdin.write_all(lines.as_bytes()).await.ok()?;
            stdin.flush().await.ok()
        };
        let read = async {
            let mut buf = String::new();
            for _ in 0..n {
                buf.clear();
                if stdout.read_line(&mut buf).await.ok()? == 0 {
                    return None;
                }
            }
            Some(())
        };
        let (w, r) = tokio::time::timeout(Duration::from_secs(120), async {
            tokio::join!(write, read)
        })
        .await
        .ok()?;
        w?;
        r?;
        Some(n as f64 / started.elapsed().as_secs_f64())
    }
}

/// What a check runs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Random differential cases.
    pub random: usize,
    /// Their seed.
    pub seed: u64,
    /// `TZ` values every adapter runs under.
    pub timezones: Vec<String>,
    /// Requests per speed measurement (0: no speed).
    pub speed_requests: usize,
    /// How long one answer may take.
    pub timeout: Duration,
    /// The implementation the speed ratios are taken against (mfaspec's core through the
    /// protocol), whether or not it is checked itself.
    pub reference: Option<Adapter>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            random: 2000,
            seed: 6238,
            timezones: vec!["UTC".into(), "America/New_York".into()],
            speed_requests: 20_000,
            timeout: ANSWER_TIMEOUT,
            reference: None,
        }
    }
}

/// The speed workload: SHA-1, 6-digit TOTP codes for 16 keys of 20 bytes, the time
/// different for every request, so nothing can be cached but a generator per key.
#[must_use]
pub fn speed_requests(n: usize) -> Vec<Request> {
    use super::protocol::{KeyEncoding, Kind};
    let keys: Vec<String> = (0..16u8)
        .map(|k| {
            (0..20u8)
                .map(|i| {
                    format!(
                        "{:02x}",
                        i.wrapping_mul(31).wrapping_add(k.wrapping_mul(17))
                    )
                })
                .collect()
        })
        .collect();
    (0..n)
        .map(|i| Request {
            kind: Kind::Totp {
                period: 30,
                t0: 0,
                time: 1_700_000_000 + (i as i64) * 7,
            },
            algorithm: crate::totp::Algorithm::Sha1,
            digits: 6,
            encoding: KeyEncoding::Hex,
            key: keys[i % keys.len()].clone(),
        })
        .collect()
}

/// One speed figure: the adapter's median codes per second, and the reference's median over
/// the same rounds divided by it.
#[derive(Debug, Default, Clone, Copy)]
struct Speed {
    per_s: Option<f64>,
    ratio: Option<f64>,
}

fn median(mut xs: Vec<f64>) -> Option<f64> {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied()
}

/// Measures `running` in one mode, interleaved with `core` (the reference) when given.
async fn measure(
    running: &mut Running,
    mut core: Option<&mut Running>,
    workload: &[Request],
    reuse: bool,
) -> Speed {
    if !running.mode(reuse).await.unwrap_or(false) {
        return Speed::default();
    }
    let (mut mine, mut theirs) = (Vec::new(), Vec::new());
    for _ in 0..SPEED_ROUNDS {
        if let Some(core) = core.as_deref_mut()
            && core.mode(reuse).await.unwrap_or(false)
            && let Some(s) = core.speed(workload).await
        {
            theirs.push(s);
        }
        let _ = running.mode(reuse).await;
        if let Some(s) = running.speed(workload).await {
            mine.push(s);
        }
    }
    let per_s = median(mine);
    let ratio = match (median(theirs), per_s) {
        (Some(c), Some(m)) if m > 0.0 => Some(c / m),
        _ => None,
    };
    Speed { per_s, ratio }
}

/// Runs the catalogue (and the speed workload) against each adapter, one after the other.
/// `progress` hears of each adapter as it starts.
pub async fn check(
    adapters: &[Adapter],
    options: &Options,
    mut progress: impl FnMut(&Adapter),
) -> Report {
    use super::model::{CaseInfo, RANDOM_EXAMPLES, RandomFailure, RandomResults, Results};
    let fixed = super::catalogue::fixed();
    let order: Vec<CaseInfo> = fixed.iter().map(CaseInfo::of).collect();
    let random = super::catalogue::random(options.random, options.seed);
    let reference = options.reference.as_ref();
    let mut implementations = Vec::new();
    for adapter in adapters {
        progress(adapter);
        let mut cases: std::collections::BTreeMap<
            String,
            std::collections::BTreeMap<String, Outcome>,
        > = Default::default();
        let mut random_results = RandomResults {
            cases: random.len(),
            ..RandomResults::default()
        };
        let mut random_ok = vec![true; random.len()];
        let mut error = None;
        for tz in &options.timezones {
            let mut running = Running::new(adapter, tz, options.timeout);
            for case in &fixed {
                let outcome = running.outcome(case).await;
                cases
                    .entry(case.id.clone())
                    .or_default()
                    .insert(tz.clone(), outcome);
            }
            for (i, case) in random.iter().enumerate() {
                let outcome = running.outcome(case).await;
                if !outcome.conforms() {
                    random_ok[i] = false;
                    if random_results.failures.len() < RANDOM_EXAMPLES {
                        random_results.failures.push(RandomFailure {
                            case: case.id.clone(),
                            timezone: tz.clone(),
                            request: case.request.line(),
                            outcome,
                        });
                    }
                }
            }
            if error.is_none() {
                error = running.never_started().map(|why| format!("TZ={tz}: {why}"));
            }
        }
        random_results.conformed = random_ok.iter().filter(|ok| **ok).count();
        random_results.failed = random_results.cases - random_results.conformed;
        let mut speeds = [Speed::default(), Speed::default()];
        if error.is_none() && options.speed_requests > 1 && adapter.form == Form::Line {
            let workload = speed_requests(options.speed_requests);
            let mut running = Running::new(adapter, "UTC", options.timeout);
            let mut core = reference.map(|r| Running::new(r, "UTC", options.timeout));
            for (slot, reuse) in speeds.iter_mut().zip([false, true]) {
                *slot = measure(&mut running, core.as_mut(), &workload, reuse).await;
            }
        }
        let [construct, reuse] = speeds;
        implementations.push(Results {
            adapter: adapter.clone(),
            summary: Results::summarise(&order, &cases, &random_results, error),
            cases,
            random: random_results,
            construct_per_s: construct.per_s,
            reuse_per_s: reuse.per_s,
            construct_ratio: construct.ratio,
            reuse_ratio: reuse.ratio,
        });
    }
    Report {
        schema: super::model::SCHEMA,
        cases: order,
        timezones: options.timezones.clone(),
        random_cases: random.len(),
        seed: options.seed,
        implementations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::otpcheck::catalogue;

    #[test]
    fn adapter_lists_are_read_strictly() {
        let list = Adapter::parse_list(
            "# c\npyotp 2.9.0 line python a.py --x\n\noathtool 2.6 per-call sh o.sh\n",
        )
        .unwrap();
        assert_eq!(list.len(), 2);
        assert_eq!(list[0].command, "python a.py --x");
        assert_eq!(list[1].form, Form::PerCall);
        assert!(
            Adapter::parse_list("x 1 sometimes cmd")
                .unwrap_err()
                .contains("line 1")
        );
        assert!(Adapter::parse_list("x 1").is_err());
    }

    #[test]
    fn answers_are_classified_against_the_expectation() {
        let cases = catalogue::fixed();
        let get = |id: &str| cases.iter().find(|c| c.id == id).unwrap().clone();
        let c0 = get("rfc4226.c0");
        assert_eq!(
            classify(&c0, Ok(Answer::Code("755224".into()))),
            Outcome::Pass
        );
        assert!(matches!(
            classify(&c0, Ok(Answer::Code("55224".into()))),
            Outcome::WrongCode { .. }
        ));
        assert!(matches!(
            classify(&c0, Ok(Answer::Reject("no".into()))),
            Outcome::RejectedNotAcceptable { .. }
        ));
        let short = get("key.short_base32");
        assert!(classify(&short, Ok(Answer::Reject("too short".into()))).conforms());
        let neg = get("time.negative");
        assert!(!classify(&neg, Ok(Answer::Code("84755224".into()))).conforms());
        assert!(classify(&neg, Ok(Answer::Reject("before epoch".into()))).conforms());
        assert_eq!(classify(&neg, Err(Failure::Timeout)), Outcome::Timeout);
    }
}
