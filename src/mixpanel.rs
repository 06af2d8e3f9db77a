//! What Mixpanel and its SDKs own: the properties the SDKs add to events by
//! themselves, the events they send on their own, the reserved user-profile
//! properties, and the limits Mixpanel's ingestion enforces.
//!
//! Sources: `shared/MIXPANEL.md`, the official SDKs' source (mixpanel-js,
//! mixpanel-node, mixpanel-python) and the traffic recorded from them in
//! `tests/fixtures/sdk/`.

/// Event properties the SDKs or Mixpanel's servers add, which a plan never
/// needs to declare.
pub const DEFAULT_EVENT_PROPERTIES: &[&str] = &[
    // Envelope and identity.
    "token",
    "distinct_id",
    "time",
    "$insert_id",
    "$device_id",
    "$user_id",
    "ip",
    "$ignore",
    "$source",
    "$anon_distinct_id",
    "$identified_id",
    "$anon_id",
    "alias",
    "$distinct_ids",
    "$had_persisted_distinct_id",
    "$import",
    // Library.
    "mp_lib",
    "$lib_version",
    "$lib",
    "mp_sent_by_lib_version",
    "$mp_replay_id",
    "$duration",
    "mp_page_view_id",
    "$mp_autocapture",
    // Browser context.
    "$os",
    "$browser",
    "$browser_version",
    "$current_url",
    "$referrer",
    "$referring_domain",
    "$initial_referrer",
    "$initial_referring_domain",
    "$screen_height",
    "$screen_width",
    "$device",
    "$search_engine",
    "mp_keyword",
    "$mp_web_page_view_props",
    // Mobile context.
    "$app_version",
    "$app_release",
    "$app_build_number",
    "$app_version_string",
    "$carrier",
    "$manufacturer",
    "$model",
    "$os_version",
    "$wifi",
    "$radio",
    "$bluetooth_enabled",
    "$bluetooth_version",
    "$has_nfc",
    "$has_telephone",
    "$brand",
    "$ios_ifa",
    "$android_app_version",
    // Added by Mixpanel's servers (seen in exports).
    "$city",
    "$region",
    "mp_country_code",
    "$mp_api_endpoint",
    "$mp_api_timestamp_ms",
    "mp_processing_time_ms",
    "$geo_source",
    "$timezone",
];

/// Campaign parameters the browser SDK copies from the page URL.
pub const CAMPAIGN_PROPERTIES: &[&str] = &[
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "utm_content",
    "utm_term",
    "utm_id",
    "utm_source_platform",
    "utm_campaign_id",
    "utm_creative_format",
    "utm_marketing_tactic",
    "gclid",
    "fbclid",
    "msclkid",
    "ttclid",
    "dclid",
    "wbraid",
    "gbraid",
    "ko_click_id",
    "li_fat_id",
    "twclid",
    "sccid",
    "epik",
    "rdt_cid",
    "qclid",
    "irclid",
];

/// Events the SDKs send by themselves: page views, autocapture, identity
/// management, sessions, experiments and mobile lifecycle.
pub const SDK_EVENTS: &[&str] = &[
    "$mp_web_page_view",
    "$mp_click",
    "$mp_dead_click",
    "$mp_input_change",
    "$mp_rage_click",
    "$mp_scroll",
    "$mp_submit",
    "$mp_page_leave",
    "$mp_session_start",
    "$mp_session_end",
    "$identify",
    "$create_alias",
    "$merge",
    "$experiment_started",
    "$mp_session_record",
    "$ae_first_open",
    "$ae_session",
    "$ae_updated",
    "$ae_crashed",
    "$ae_iap",
    "$campaign_delivery",
    "$campaign_open",
    "$campaign_received",
    "$campaign_bounced",
    "$campaign_marked_spam",
    "$campaign_unsubscribed",
];

/// Reserved user-profile properties, with meaning Mixpanel's UI knows.
pub const RESERVED_USER_PROPERTIES: &[&str] = &[
    "$name",
    "$first_name",
    "$last_name",
    "$email",
    "$phone",
    "$avatar",
    "$created",
    "$os",
    "$browser",
    "$browser_version",
    "$city",
    "$region",
    "$country_code",
    "$timezone",
    "$unsubscribed",
    "$android_devices",
    "$ios_devices",
    "$transactions",
    "$predict_grade",
    "$last_seen",
    "$geo_source",
];

/// Whether a name uses Mixpanel's reserved prefixes `$` or `mp_`.
pub fn has_reserved_prefix(name: &str) -> bool {
    name.starts_with('$') || name.starts_with("mp_")
}

/// Whether an event property is one the SDKs or Mixpanel add: any name with
/// a reserved prefix, or a campaign parameter.
pub fn is_sdk_event_property(name: &str) -> bool {
    has_reserved_prefix(name)
        || DEFAULT_EVENT_PROPERTIES.contains(&name)
        || CAMPAIGN_PROPERTIES.contains(&name)
}

/// Whether an event is one the SDKs send by themselves.
pub fn is_sdk_event(name: &str) -> bool {
    SDK_EVENTS.contains(&name)
}

/// `distinct_id` values `/import` rejects.
pub const DENIED_DISTINCT_IDS: &[&str] = &[
    "00000000-0000-0000-0000-000000000000",
    "anon",
    "anonymous",
    "nil",
    "none",
    "null",
    "n/a",
    "na",
    "undefined",
    "unknown",
    "<nil>",
    "0",
    "-1",
    "true",
    "false",
    "[]",
    "{}",
];

/// Mixpanel's documented limits.
pub mod limits {
    /// Most properties an event may carry.
    pub const MAX_PROPERTIES: usize = 255;
    /// Longest property name or string value, in characters (SDKs truncate).
    pub const MAX_STRING_CHARS: usize = 255;
    /// Largest event, in bytes of JSON.
    pub const MAX_EVENT_BYTES: usize = 1024 * 1024;
    /// Deepest nesting of objects in a property value.
    pub const MAX_OBJECT_DEPTH: usize = 3;
    /// Most keys of an object property.
    pub const MAX_OBJECT_KEYS: usize = 255;
    /// Most items of a list property.
    pub const MAX_LIST_ITEMS: usize = 255;
    /// Longest `$insert_id`, in bytes.
    pub const MAX_INSERT_ID_BYTES: usize = 36;
    /// Most events in one `/track` or `/import` request.
    pub const MAX_BATCH_EVENTS: usize = 2000;
}
