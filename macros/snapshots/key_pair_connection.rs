// The expansion of the `key_pair_connection` snapshot in src/snapshots.rs. Generated: rewrite it with
// CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots

pub struct Snapshot;
const _: () = {
    use ::connkit::__private as __connkit;
    impl Snapshot {
        /// The connection's definition, checked at compile time.
        pub const DEFINITION: &'static __connkit::KeyPairDefinition = &__connkit::key_pair(__connkit::KeyPairFields {
            id: "snowflake_connection_key-pair",
            name: "Key pair",
            description: "Connect with a user's key pair",
            inputs: &[],
        });
    }
    #[automatically_derived]
    impl __connkit::ConnectionType for Snapshot {
        const CONNECTION_DEFINITION: __connkit::ConnectionDefinition = __connkit::ConnectionDefinition::KeyPair(
            <Snapshot>::DEFINITION,
        );
    }
};
