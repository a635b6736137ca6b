// The expansion of the `registry` snapshot in src/snapshots.rs. Generated: rewrite it with
// CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots

const SNAPSHOT: ::connkit::Registry = {
    use ::connkit::__private as __connkit;
    static __APPS: [__connkit::AppDefinition; 2usize] = [ZOHO_BOOKS, NOTION];
    const __NAMES: &[&str] = &["ZOHO_BOOKS", "NOTION"];
    const __SLOTS: usize = __connkit::registry_slots(2usize);
    const __CHECK: __connkit::RegistryCheck<2usize, __SLOTS> = __connkit::check_registry::<
        2usize,
        __SLOTS,
    >(&__APPS);
    const __TABLE: &[u16] = &__CHECK.table;
    const _: () = if let ::core::option::Option::Some((index, message)) = __connkit::registry_clash(
        &__CHECK,
        __NAMES,
    ) {
        match index {
            0usize => ::core::panic!("{}", message.as_str()),
            1usize => ::core::panic!("{}", message.as_str()),
            _ => ::core::panic!("{}", message.as_str()),
        }
    };
    __connkit::registry(&__APPS, __TABLE)
};
