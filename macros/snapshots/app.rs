// The expansion of the `app` snapshot in src/snapshots.rs. Generated: rewrite it with
// CONNKIT_BLESS=1 cargo test -p connkit-macros snapshots

const SNAPSHOT: ::connkit::AppDefinition = {
    use ::connkit::__private as __connkit;
    static __CONNECTIONS: [__connkit::ConnectionDefinition; 1usize] = [
        <ZohoBooksEu as __connkit::ConnectionType>::CONNECTION_DEFINITION,
    ];
    static __ACTIONS: [__connkit::ComponentDefinition; 1usize] = [
        <CreateInvoice as __connkit::Action>::__DEFINITION,
    ];
    const _: () = {
        if let ::core::option::Option::Some((index, mistake)) = __connkit::app_connections_check(
            &__CONNECTIONS,
            "zoho-books",
        ) {
            let message = mistake.message(index, "zoho-books", &["ZohoBooksEu"]);
            match index {
                0usize => ::core::panic!("{}", message.as_str()),
                _ => ::core::panic!("{}", message.as_str()),
            }
        }
    };
    const _: () = {
        if let ::core::option::Option::Some((index, mistake)) = __connkit::app_components_check(
            &__ACTIONS,
            "zoho-books",
            __connkit::ComponentKind::Action,
        ) {
            let message = mistake.message(index, "zoho-books", &["CreateInvoice"]);
            match index {
                0usize => ::core::panic!("{}", message.as_str()),
                _ => ::core::panic!("{}", message.as_str()),
            }
        }
    };
    __connkit::app(__connkit::AppFields {
        id: "zoho-books",
        name: "Zoho Books",
        description: "Accounting",
        logo_url: "https://example.com/zoho-books.svg",
        is_published: true,
        available_for_agent: true,
        actions: &__ACTIONS,
        triggers: &[],
        connections: &__CONNECTIONS,
    })
};
