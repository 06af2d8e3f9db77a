//! Identity across a stream: once a device (visitor) has been tied to a
//! user (an event carrying both ids, as at login), its later events must
//! carry the user id too; Mixpanel would otherwise count them as another,
//! anonymous person.
//!
//! Runs in input order after the per-record checks. Memory grows with the
//! number of distinct devices tied to a user, up to [`MAX_DEVICES`]; past
//! that, new devices are not followed (the report says how many).

use std::collections::HashMap;

use super::violation::{Verdict, Violation};
use crate::diagnostic::Severity;

/// Most devices followed at once.
pub const MAX_DEVICES: usize = 2_000_000;

/// The devices seen logged in, and the user each is tied to.
#[derive(Debug, Default)]
pub struct Identity {
    users: HashMap<String, String>,
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
        let Some(device) = &ids.device else {
            return;
        };
        match (&ids.user, self.users.get(device)) {
            (Some(user), _) => {
                if self.users.len() < MAX_DEVICES || self.users.contains_key(device) {
                    self.users.insert(device.clone(), user.clone());
                } else {
                    self.untracked += 1;
                }
            }
            (None, Some(user)) => verdict.violations.push(Violation {
                rule: "user-id-after-login",
                severity: Severity::Error,
                path: format!("properties.{}", self.user_id),
                expected: format!("the user id `{user}`: this device logged in earlier"),
                found: "nothing".to_owned(),
            }),
            (None, None) => {}
        }
    }
}
