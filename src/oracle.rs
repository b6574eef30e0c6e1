//! The harness's authenticator app: it holds a scenario's secret and hands out the code a
//! scenario asks for — fresh, from a neighbouring step, stale, already used, or wrong — and
//! never reuses a code by accident. Pure: the time is always an argument; the steps decide
//! whether to wait or to move a clock-controlled target's clock.
//!
//! Owns: which code the phone hands out. Uses: [`crate::totp`].

use std::collections::HashSet;
use std::fmt;

use crate::totp::{Base32Error, Code, KeyUri, Secret, Totp};

/// Seconds before a step boundary inside which no code is handed out for a target whose
/// clock cannot be moved: the request could reach the server in the next step.
pub const BOUNDARY_MARGIN_S: u64 = 3;

/// The text of the QR code in a PNG image.
pub fn read_qr_png(png_bytes: &[u8]) -> Result<String, String> {
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder
        .read_info()
        .map_err(|e| format!("the image is not a PNG: {e}"))?;
    let mut buf = vec![0; reader.output_buffer_size().ok_or("the PNG is too large")?];
    let info = reader
        .next_frame(&mut buf)
        .map_err(|e| format!("the PNG cannot be decoded: {e}"))?;
    let channels = match info.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err("the PNG's palette was not expanded".into()),
    };
    let (w, h) = (info.width as usize, info.height as usize);
    let grey = |x: usize, y: usize| -> u8 {
        let at = y * info.line_size + x * channels;
        match channels {
            1 | 2 => buf[at],
            _ => {
                let (r, g, b) = (
                    u32::from(buf[at]),
                    u32::from(buf[at + 1]),
                    u32::from(buf[at + 2]),
                );
                ((r * 299 + g * 587 + b * 114) / 1000) as u8
            }
        }
    };
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, grey);
    let grids = image.detect_grids();
    let grid = grids.first().ok_or("no QR code found in the image")?;
    let (_, text) = grid
        .decode()
        .map_err(|e| format!("the QR code cannot be read: {e:?}"))?;
    Ok(text)
}

/// A phone with one TOTP secret, set up from Cognito's `SecretCode`.
pub struct Phone {
    totp: Totp,
    used: HashSet<u64>,
    last: Option<u64>,
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Phone")
            .field("secret", &"<redacted>")
            .field("used_steps", &self.used.len())
            .finish()
    }
}

impl Phone {
    /// Sets up the phone with a `SecretCode` (Base32, time-based, SHA-1, 6 digits, 30 s).
    pub fn from_secret_code(secret_code: &str) -> Result<Phone, Base32Error> {
        Ok(Phone {
            totp: Totp::cognito(&Secret::from_base32(secret_code)?),
            used: HashSet::new(),
            last: None,
        })
    }

    /// Sets up the phone as a phone does from a sign-in page: by reading the QR code in a PNG
    /// image (a screenshot of it). Returns the phone and the key URI it read; an image with
    /// no readable QR code, or one that is not a TOTP key URI, is an error saying which.
    pub fn from_qr_png(png: &[u8]) -> Result<(Phone, KeyUri), String> {
        let text = read_qr_png(png)?;
        let uri = KeyUri::parse(&text).map_err(|e| format!("the QR code is not a key URI: {e}"))?;
        if !matches!(uri.kind, crate::totp::OtpKind::Totp { .. }) {
            return Err("the QR code's key URI is not time-based (totp)".into());
        }
        let phone = Phone {
            totp: Totp::cognito(&uri.secret),
            used: HashSet::new(),
            last: None,
        };
        Ok((phone, uri))
    }

    /// Seconds until `now_s` is safely inside a step: 0 unless the boundary is closer than
    /// [`BOUNDARY_MARGIN_S`].
    #[must_use]
    pub fn wait_before_code(now_s: u64) -> u64 {
        let left = 30 - now_s % 30;
        if left <= BOUNDARY_MARGIN_S {
            left + 1
        } else {
            0
        }
    }

    fn step(&self, now_s: u64) -> u64 {
        self.totp.step_at(now_s).unwrap_or(0)
    }

    fn take(&mut self, step: u64) -> Code {
        self.used.insert(step);
        self.last = Some(step);
        self.totp.code_for_step(step)
    }

    /// A code the server has not seen and will accept whichever replay rule it follows: the
    /// current step's if unused, else the next step's (inside Cognito's ±1 window), else
    /// `None` — the scenario must wait for (or move the clock to) a new step.
    ///
    /// The plan: codes go out in strictly increasing steps. Cognito refuses a code used
    /// before; whether it also refuses an *older* step's unused code after a newer one was
    /// accepted (RFC 6238 §5.2) is an open question of the spec (§9 Q2), so the phone never
    /// relies on either answer. That gives two codes per step before the first wait, then
    /// one per new step; the run's summary counts the waits.
    ///
    /// `older_too` adds the previous step's code as a third choice, for a target whose rule
    /// is known to refuse only codes it has seen (the reference endpoint, whose clock the run
    /// controls: there a wait would move the clock under the scenarios running beside it).
    pub fn fresh(&mut self, now_s: u64, older_too: bool) -> Option<Code> {
        let c = self.step(now_s);
        let floor = if older_too {
            0
        } else {
            self.used.iter().max().map_or(0, |m| m + 1)
        };
        let used_codes: HashSet<u32> = self
            .used
            .iter()
            .map(|&s| self.totp.code_for_step(s).value())
            .collect();
        let older = older_too.then(|| c.saturating_sub(1));
        let pick = [Some(c), Some(c + 1), older]
            .into_iter()
            .flatten()
            .find(|s| {
                *s >= floor
                    && !self.used.contains(s)
                    && !used_codes.contains(&self.totp.code_for_step(*s).value())
            })?;
        Some(self.take(pick))
    }

    /// The current step's code only, if unused (for targets without a skew window).
    pub fn current(&mut self, now_s: u64) -> Option<Code> {
        let c = self.step(now_s);
        (!self.used.contains(&c)).then(|| self.take(c))
    }

    /// The code `offset` steps from now (−1: previous, +1: next, −3: three steps old).
    pub fn at_offset(&mut self, now_s: u64, offset: i64) -> Code {
        let step = self.step(now_s).saturating_add_signed(offset);
        self.take(step)
    }

    /// The code handed out last (to replay it), if any.
    #[must_use]
    pub fn last_code(&self) -> Option<Code> {
        self.last.map(|s| self.totp.code_for_step(s))
    }

    /// A six-digit code that matches no step within ±3 of now.
    #[must_use]
    pub fn wrong(&self, now_s: u64) -> Code {
        let c = self.step(now_s);
        let near: HashSet<u32> = (c.saturating_sub(3)..=c + 3)
            .map(|s| self.totp.code_for_step(s).value())
            .collect();
        let value = (0u32..)
            .map(|n| (n * 7919 + 123_457) % 1_000_000)
            .find(|v| !near.contains(v))
            .unwrap_or(0);
        Code::new(value, crate::totp::Digits::SIX)
    }
}

#[cfg(test)]
mod tests {
    use super::Phone;

    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    #[test]
    fn fresh_codes_go_out_in_increasing_steps_two_per_step() {
        let mut phone = Phone::from_secret_code(SECRET).unwrap();
        let t = 1_800_000_010; // 10 s into a step
        let step = t / 30;
        let first = phone.fresh(t, false).unwrap();
        let second = phone.fresh(t, false).unwrap();
        assert_ne!(first, second);
        assert_eq!(phone.last, Some(step + 1), "the next step's code second");
        assert!(
            phone.fresh(t + 15, false).is_none(),
            "the previous step's code is never handed out after a newer one"
        );
        // In the next step, only the step after it is new.
        let third = phone.fresh(t + 30, false).unwrap();
        assert_eq!(phone.last, Some(step + 2));
        assert!(![first, second].contains(&third));
        assert!(phone.fresh(t + 30, false).is_none());
    }

    #[test]
    fn with_a_known_rule_the_previous_step_is_a_third_choice() {
        let mut phone = Phone::from_secret_code(SECRET).unwrap();
        let t = 1_800_000_010;
        for expected in [t / 30, t / 30 + 1, t / 30 - 1] {
            assert!(phone.fresh(t, true).is_some());
            assert_eq!(phone.last, Some(expected));
        }
        assert!(phone.fresh(t, true).is_none());
    }

    #[test]
    fn a_deliberately_used_newer_step_raises_the_floor() {
        let mut phone = Phone::from_secret_code(SECRET).unwrap();
        let t = 1_800_000_010;
        phone.at_offset(t, 1);
        assert!(
            phone.fresh(t, false).is_none(),
            "current and next are not newer than next"
        );
        assert!(phone.fresh(t + 30, false).is_some());
        assert_eq!(phone.last, Some(t / 30 + 2));
    }

    #[test]
    fn current_only_for_targets_without_a_window() {
        let mut phone = Phone::from_secret_code(SECRET).unwrap();
        let t = 1_800_000_010;
        assert!(phone.current(t).is_some());
        assert!(phone.current(t + 5).is_none());
        assert!(phone.current(t + 30).is_some());
    }

    #[test]
    fn no_code_within_the_margin_of_a_boundary() {
        assert_eq!(Phone::wait_before_code(1_800_000_010), 0);
        assert_eq!(Phone::wait_before_code(1_800_000_028), 3);
        assert_eq!(Phone::wait_before_code(1_800_000_026), 0);
    }
}
