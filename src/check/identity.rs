//! Identity across a stream: once a device (visitor) has been tied to a
//! user (an event carrying both ids, as at login), its later events must
//! carry the user id too; Mixpanel would otherwise count them as another,
//! anonymous person. "Later" is by the events' `time` when both have one
//! (SDKs send batches out of order), else by their order in the input.
//!
//! Runs in input order after the per-record checks. Memory grows with the
//! number of distinct devices tied to a user, up to [`MAX_DEVICES`]; past
//! that, new devices are not followed (the report says how many).

use crate::rules::check as rule;
use rustc_hash::FxHashMap;

use super::violation::{Verdict, Violation};
use crate::diagnostic::Severity;

/// The key of a device id in the map: a 64-bit SipHash, so the map holds
/// no copy of the id (two ids colliding among a few million is about one
/// chance in a million million).
pub fn device_key(device: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::hash::DefaultHasher::new();
    device.hash(&mut hasher);
    hasher.finish()
}

/// Most devices followed at once.
pub const MAX_DEVICES: usize = 2_000_000;

/// The devices seen logged in, and the user each is tied to.
#[derive(Debug, Default)]
pub struct Identity {
    /// Device id → the user it is tied to, and the earliest time of an
    /// event carrying both.
    users: FxHashMap<u64, (String, Option<f64>)>,
    /// Devices not followed because of [`MAX_DEVICES`].
    pub untracked: u64,
    user_id: String,
}

impl Identity {
    /// A tracker for the plan's user id property.
    pub fn new(user_id: &str) -> Self {
        Self {
            user_id: user_id.to_owned(),
            ..Self::default()
        }
    }

    /// Follows one verdict, adding a violation when a device that logged
    /// in sends an event without the user id.
    pub fn follow(&mut self, verdict: &mut Verdict) {
        let Some(ids) = &verdict.ids else {
            return;
        };
        let Some(device) = ids.device else {
            return;
        };
        match (&ids.user, self.users.get_mut(&device)) {
            (Some(_), Some((_, tied))) => {
                if let (Some(t), Some(at)) = (ids.time, *tied) {
                    *tied = Some(at.min(t));
                }
            }
            (Some(user), None) => {
                if self.users.len() < MAX_DEVICES {
                    self.users.insert(device, (user.clone(), ids.time));
                } else {
                    self.untracked += 1;
                }
            }
            (None, Some((user, tied))) => {
                let after = match (ids.time, *tied) {
                    (Some(t), Some(at)) => t > at,
                    _ => true,
                };
                if after {
                    verdict.violations.push(Violation {
                        rule: rule::USER_ID_AFTER_LOGIN,
                        severity: Severity::Error,
                        path: format!("properties.{}", self.user_id),
                        expected: format!("the user id `{user}`: this device logged in earlier"),
                        found: "nothing".to_owned(),
                    });
                }
            }
            (None, None) => {}
        }
    }
}
