//! The `/_trackplan/` page: the running report, refreshed every few seconds.

/// The page around the human report text.
pub fn render(report: &str) -> String {
    let escaped = report
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"3\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>trackplan serve</title>\
         <style>body{{font:14px system-ui,sans-serif;margin:20px}}pre{{white-space:pre-wrap;font:13px ui-monospace,monospace}}</style>\
         </head><body><h1>trackplan serve</h1><p>Reset with <code>POST /_trackplan/reset</code>; JSON at <a href=\"report\">/_trackplan/report</a>.</p>\
         <pre>{escaped}</pre></body></html>"
    )
}
