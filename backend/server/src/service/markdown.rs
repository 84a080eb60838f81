//! Markdown to HTML a page may insert as it is: rendered by pulldown-cmark, then cleaned
//! by ammonia (an allow-list of tags and attributes: no `<script>`, no `on…` handlers, no
//! `style`, links only to http, https and mailto, and `rel="noopener noreferrer"`). The
//! article page and the editor's preview use this one function.

use pulldown_cmark::{Options, Parser, html};

pub fn render(markdown: &str) -> String {
    let mut opts = Options::empty();
    opts.insert(Options::ENABLE_TABLES);
    opts.insert(Options::ENABLE_STRIKETHROUGH);
    opts.insert(Options::ENABLE_TASKLISTS);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, opts));
    ammonia::Builder::default()
        .url_schemes(["http", "https", "mailto"].into_iter().collect())
        .link_rel(Some("noopener noreferrer"))
        .clean(&raw)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::render;

    #[test]
    fn markdown_renders_and_nothing_runs() {
        assert_eq!(render("**价格**"), "<p><strong>价格</strong></p>\n");
        let bad = render(
            "<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[x](javascript:alert(1)) <a href=\"JaVaScRiPt:alert(1)\">y</a> <b onclick=\"z()\">b</b> <iframe src=\"https://e.x\"></iframe>",
        );
        for needle in [
            "<script",
            "onerror",
            "javascript:",
            "JaVaScRiPt",
            "onclick",
            "<iframe",
        ] {
            assert!(!bad.contains(needle), "{needle} in {bad}");
        }
        let link = render("[官网](https://example.com)");
        assert!(link.contains("href=\"https://example.com\""), "{link}");
        assert!(link.contains("noopener"), "{link}");
        assert!(render("| a | b |\n|---|---|\n| 1 | 2 |").contains("<table>"));
    }
}
