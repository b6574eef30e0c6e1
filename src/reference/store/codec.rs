//! How the store's fields that are not plain data are written when the store is (`mfaspec
//! serve --state`): a TOTP secret as its Base32 text, a replay memory as the steps it
//! accepted, an SRP challenge as its numbers, a challenge by its name, a map with tuple keys
//! as a list of pairs.
//!
//! Owns: those encodings. Uses: [`crate::totp`], [`crate::srp`], [`crate::vocabulary`].

/// A TOTP secret as its Base32 text.
pub mod secret {
    use crate::totp::Secret;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(secret: &Secret, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&secret.to_base32())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Secret, D::Error> {
        let text = String::deserialize(d)?;
        Secret::from_base32(&text).map_err(serde::de::Error::custom)
    }
}

/// Cognito's replay memory as the steps it accepted, in order.
pub mod replay {
    use crate::totp::ReplayMemory;
    use serde::{Deserialize as _, Deserializer, Serialize as _, Serializer};

    pub fn serialize<S: Serializer>(memory: &ReplayMemory, s: S) -> Result<S::Ok, S::Error> {
        memory.accepted().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ReplayMemory, D::Error> {
        let steps = Vec::<u64>::deserialize(d)?;
        let mut memory = ReplayMemory::cognito();
        for step in steps {
            memory
                .accept(step)
                .map_err(|_| serde::de::Error::custom("a step accepted twice"))?;
        }
        Ok(memory)
    }
}

/// An SRP challenge in flight as its three numbers.
pub mod srp_challenge {
    use crate::srp::ServerChallenge;
    use serde::{Deserialize as _, Deserializer, Serialize as _, Serializer};

    pub fn serialize<S: Serializer>(c: &ServerChallenge, s: S) -> Result<S::Ok, S::Error> {
        c.to_parts().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<ServerChallenge, D::Error> {
        Ok(ServerChallenge::from_parts(<[Vec<u8>; 3]>::deserialize(d)?))
    }
}

/// A challenge by its wire name.
pub mod challenge {
    use crate::vocabulary::Challenge;
    use serde::{Deserialize as _, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(c: &Challenge, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(c.name())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Challenge, D::Error> {
        let name = String::deserialize(d)?;
        name.parse()
            .map_err(|()| serde::de::Error::custom(format!("no challenge {name}")))
    }
}

/// A map whose keys are tuples (which JSON objects cannot have) as a list of pairs.
pub mod pairs {
    use std::collections::BTreeMap;

    use serde::de::DeserializeOwned;
    use serde::{Deserialize as _, Deserializer, Serialize, Serializer};

    use super::super::Tracked;

    pub fn serialize<K: Serialize + Ord, V: Serialize, S: Serializer>(
        map: &Tracked<K, V>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        s.collect_seq(map.iter())
    }

    pub fn deserialize<'de, K, V, D>(d: D) -> Result<Tracked<K, V>, D::Error>
    where
        K: DeserializeOwned + Ord + Clone,
        V: DeserializeOwned,
        D: Deserializer<'de>,
    {
        Ok(Tracked::of(
            Vec::<(K, V)>::deserialize(d)?
                .into_iter()
                .collect::<BTreeMap<K, V>>(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use crate::reference::store::{SoftwareToken, Store};
    use crate::totp::{ReplayMemory, Secret};

    /// What a state file keeps of a token: its secret and the steps it accepted (a code used
    /// before a restart stays used after it).
    #[test]
    fn a_token_round_trips_with_its_used_steps() {
        let mut replay = ReplayMemory::cognito();
        replay.accept(1000).unwrap();
        replay.accept(1001).unwrap();
        let token = SoftwareToken {
            secret: Secret::from_bytes(&[7; 20]),
            friendly_name: Some("Phone".into()),
            replay,
        };
        let json = serde_json::to_string(&token).unwrap();
        let back: SoftwareToken = serde_json::from_str(&json).unwrap();
        assert_eq!(back.secret.expose_bytes(), [7; 20]);
        assert!(back.replay.is_used(1000) && back.replay.is_used(1001));
        assert!(!back.replay.is_used(1002));
        let store: Store =
            serde_json::from_str(&serde_json::to_string(&Store::default()).unwrap()).unwrap();
        assert!(store.pools.is_empty());
    }
}
