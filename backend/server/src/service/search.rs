//! The knowledge base's search index: derived data, rebuilt from the database at start and
//! kept in step by following `articles.updated_at`.
//!
//! Every server keeps its own index (tantivy, in a temporary directory, memory-mapped) and
//! follows the table: [`Search::sync`] reads the articles changed since the last change it
//! saw (less a margin, so a transaction that committed late is not missed) and re-indexes
//! those whose version it has not indexed. A server runs it right after its own writes (a
//! writer finds its article at once) and every [`POLL`] (a write on another server on the
//! same PostgreSQL is found within seconds). Nothing is lost if the index is: it is built
//! anew from the table.
//!
//! Text is segmented with jieba (Chinese words, search mode: long words also as their
//! parts) and lower-cased; a query is segmented the same way and each word may match the
//! title (weight 3), the tags (2) or the body (1). English words of four letters or more
//! also match one edit away (a typo, a transposition, a plural) at half the weight. No
//! stemming: a stem turns a typo into another stem two edits away ("expensiv" →
//! "expensiv", "expensive" → "expens"), and the edit distance covers plurals.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use dudao_domain::knowledge::{Category, Scenario, is_alphabetic_word};
use sea_orm::{DatabaseConnection, EntityTrait, FromQueryResult, Statement};
use tantivy::collector::{Count, TopDocs};
use tantivy::query::{BooleanQuery, BoostQuery, FuzzyTermQuery, Occur, Query, TermQuery};
use tantivy::schema::{
    Field, INDEXED, IndexRecordOption, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
    Value,
};
use tantivy::snippet::SnippetGenerator;
use tantivy::tokenizer::{LowerCaser, RemoveLongFilter, StopWordFilter, TextAnalyzer, TokenStream};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::entity::article;
use crate::error::{AppError, AppResult};

/// How often a server looks for articles written by the others.
pub const POLL: std::time::Duration = std::time::Duration::from_secs(2);
/// How far back each look starts before the last change seen: a transaction's
/// `updated_at` is taken before it commits.
const MARGIN_SECONDS: i64 = 30;
const TOKENIZER: &str = "dudao";
/// The first words of the index's own statements (see [`Search::sync`]).
pub const MARK: &str = "/* search index */";

#[derive(Debug, FromQueryResult)]
struct Stamp {
    id: i32,
    updated_at: DateTime<Utc>,
}

struct Fields {
    id: Field,
    title: Field,
    body: Field,
    tags: Field,
    tag: Field,
    category: Field,
    scenario: Field,
}

/// The `updated_at` indexed per article, and the latest change seen.
type Seen = (HashMap<i32, DateTime<Utc>>, Option<DateTime<Utc>>);

/// What the index knows; one per server process.
pub struct Search {
    index: Index,
    reader: IndexReader,
    writing: Mutex<()>,
    f: Fields,
    /// The `updated_at` indexed per article, and the latest change seen.
    seen: tokio::sync::Mutex<Seen>,
}

/// A search: the words and the filters.
#[derive(Debug, Default, Clone)]
pub struct SearchQuery {
    pub text: String,
    pub category: Option<Category>,
    pub scenario: Option<Scenario>,
    pub tag: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

/// An article found, with its title and a passage of its body as HTML (escaped, the
/// matched words in `<mark>`).
#[derive(Debug, Clone)]
pub struct Hit {
    pub id: i32,
    pub score: f32,
    pub title_html: String,
    pub snippet_html: String,
}

#[derive(Debug, Default)]
pub struct Found {
    pub total: usize,
    pub hits: Vec<Hit>,
}

fn analyzer() -> TextAnalyzer {
    // Punctuation and the commonest function words carry no meaning for a search.
    let stop: Vec<String> = [
        " ",
        "  ",
        "\n",
        "\n\n",
        "\t",
        "，",
        "。",
        "、",
        "！",
        "？",
        "：",
        "；",
        "“",
        "”",
        "‘",
        "’",
        "（",
        "）",
        "《",
        "》",
        "【",
        "】",
        "…",
        "—",
        ",",
        ".",
        "!",
        "?",
        ":",
        ";",
        "\"",
        "'",
        "(",
        ")",
        "-",
        "#",
        "*",
        "/",
        "|",
        "`",
        "~",
        "_",
        ">",
        "<",
        "[",
        "]",
        "{",
        "}",
        "=",
        "+",
        "&",
        "%",
        "$",
        "@",
        "^",
        "的",
        "了",
        "是",
        "在",
        "和",
        "与",
        "及",
        "或",
        "吗",
        "呢",
        "吧",
        "啊",
        "说",
        "怎么",
        "怎么办",
        "如何",
        "什么",
        "我",
        "你",
        "您",
        "我们",
        "你们",
        "他",
        "她",
        "它",
        "这",
        "那",
        "the",
        "a",
        "an",
        "is",
        "are",
        "to",
        "of",
        "and",
        "or",
        "in",
        "on",
        "for",
        "it",
        "be",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    TextAnalyzer::builder(tantivy_jieba::JiebaTokenizer::new())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(StopWordFilter::remove(stop))
        .build()
}

fn internal(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("search index: {e}"))
}

/// The body as plain text: what is indexed and what snippets are cut from (Markdown
/// marks would only be noise in a passage).
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, TagEnd};
    let mut out = String::with_capacity(markdown.len());
    for ev in Parser::new(markdown) {
        match ev {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => {
                out.push('\n');
            }
            _ => {}
        }
    }
    out
}

impl Search {
    /// An empty index in a temporary directory; [`Search::sync`] fills it.
    pub fn new() -> anyhow::Result<Arc<Search>> {
        let mut sb = Schema::builder();
        let text = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer(TOKENIZER)
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let f = Fields {
            id: sb.add_u64_field("id", INDEXED | STORED),
            title: sb.add_text_field("title", text.clone() | STORED),
            body: sb.add_text_field("body", text.clone() | STORED),
            tags: sb.add_text_field("tags", text),
            tag: sb.add_text_field("tag", STRING),
            category: sb.add_text_field("category", STRING),
            scenario: sb.add_text_field("scenario", STRING),
        };
        let index = Index::create_from_tempdir(sb.build())?;
        index.tokenizers().register(TOKENIZER, analyzer());
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Arc::new(Search {
            index,
            reader,
            writing: Mutex::new(()),
            f,
            seen: tokio::sync::Mutex::new((HashMap::new(), None)),
        }))
    }

    /// Brings the index in step with the table: the articles changed since the last
    /// change seen (all of them the first time). Returns how many were re-indexed.
    ///
    /// Its statements start with [`MARK`] and are not counted as a request's
    /// (`db::connect`): they are this server's background work, not the caller's.
    pub async fn sync(self: &Arc<Self>, db: &DatabaseConnection) -> AppResult<usize> {
        let mut seen = self.seen.lock().await;
        let since = seen
            .1
            .map(|t| t - chrono::Duration::seconds(MARGIN_SECONDS));
        let b = db.get_database_backend();
        let p = |n: usize| match b {
            sea_orm::DatabaseBackend::Postgres => format!("${n}"),
            _ => "?".to_owned(),
        };
        // What changed: ids and times only, however many rows the window holds.
        let stamps: Vec<Stamp> = match since {
            Some(t) => {
                Stamp::find_by_statement(Statement::from_sql_and_values(
                    b,
                    format!(
                        "{MARK} SELECT id, updated_at FROM articles WHERE updated_at >= {}",
                        p(1)
                    ),
                    [t.into()],
                ))
                .all(db)
                .await?
            }
            None => {
                Stamp::find_by_statement(Statement::from_string(
                    b,
                    format!("{MARK} SELECT id, updated_at FROM articles"),
                ))
                .all(db)
                .await?
            }
        };
        let fresh: Vec<i32> = stamps
            .iter()
            .filter(|a| seen.0.get(&a.id) != Some(&a.updated_at))
            .map(|a| a.id)
            .collect();
        let mut changed = 0;
        // The rows themselves, a page of ids at a time (the first build of a large base
        // stays small in memory).
        for ids in fresh.chunks(1_000) {
            let list = ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",");
            let rows = article::Entity::find()
                .from_raw_sql(Statement::from_string(
                    b,
                    format!("{MARK} SELECT * FROM articles WHERE id IN ({list})"),
                ))
                .all(db)
                .await?;
            for a in &rows {
                seen.0.insert(a.id, a.updated_at);
                seen.1 = Some(seen.1.map_or(a.updated_at, |t| t.max(a.updated_at)));
            }
            changed += rows.len();
            let me = Arc::clone(self);
            tokio::task::spawn_blocking(move || me.write(&rows))
                .await
                .map_err(internal)??;
        }
        Ok(changed)
    }

    fn write(&self, articles: &[article::Model]) -> AppResult<()> {
        // A writer only while writing: its indexing arena (15 MB) is not kept between
        // the rare writes. The lock orders writers of this process.
        let _one = self.writing.lock().map_err(internal)?;
        let mut w: IndexWriter = self
            .index
            .writer_with_num_threads(1, 15_000_000)
            .map_err(internal)?;
        for a in articles {
            let id = u64::try_from(a.id).unwrap_or(0);
            w.delete_term(Term::from_field_u64(self.f.id, id));
            if a.archived {
                continue;
            }
            let mut doc = TantivyDocument::default();
            doc.add_u64(self.f.id, id);
            doc.add_text(self.f.title, &a.title);
            doc.add_text(self.f.body, plain_text(&a.body));
            let tags: Vec<String> = serde_json::from_str(&a.tags).unwrap_or_default();
            doc.add_text(self.f.tags, tags.join(" "));
            for t in &tags {
                doc.add_text(self.f.tag, t.to_lowercase());
            }
            doc.add_text(self.f.category, a.category.0.as_str());
            if let Some(s) = &a.scenario {
                doc.add_text(self.f.scenario, s.0.as_str());
            }
            w.add_document(doc).map_err(internal)?;
        }
        w.commit().map_err(internal)?;
        w.wait_merging_threads().map_err(internal)?;
        self.reader.reload().map_err(internal)
    }

    /// The words of a query as the index has them: segmented, lower-cased, stemmed, without
    /// punctuation and function words, each once.
    fn words(&self, text: &str) -> Vec<String> {
        let mut a = analyzer();
        let mut stream = a.token_stream(text);
        let mut out: Vec<String> = Vec::new();
        while let Some(t) = stream.next() {
            let w = t.text.trim();
            if w.chars().any(char::is_alphanumeric) && !out.iter().any(|o| o == w) {
                out.push(w.to_owned());
            }
            if out.len() >= 32 {
                break;
            }
        }
        out
    }

    /// Runs a search: relevance first, with the total found.
    pub fn search(&self, q: &SearchQuery) -> AppResult<Found> {
        let words = self.words(&q.text);
        if words.is_empty() {
            return Ok(Found::default());
        }
        let mut per_word: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for w in &words {
            let mut alts: Vec<(Occur, Box<dyn Query>)> = Vec::new();
            for (field, boost) in [(self.f.title, 3.0), (self.f.tags, 2.0), (self.f.body, 1.0)] {
                let term = Term::from_field_text(field, w);
                alts.push((
                    Occur::Should,
                    Box::new(BoostQuery::new(
                        Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                        boost,
                    )),
                ));
                if is_alphabetic_word(w) && w.chars().count() >= 4 {
                    alts.push((
                        Occur::Should,
                        Box::new(BoostQuery::new(
                            Box::new(FuzzyTermQuery::new(term, 1, true)),
                            boost * 0.5,
                        )),
                    ));
                }
            }
            per_word.push((Occur::Should, Box::new(BooleanQuery::new(alts))));
        }
        let mut all: Vec<(Occur, Box<dyn Query>)> =
            vec![(Occur::Must, Box::new(BooleanQuery::new(per_word)))];
        let exact = |field: Field, v: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, v),
                IndexRecordOption::Basic,
            ))
        };
        if let Some(c) = q.category {
            all.push((Occur::Must, exact(self.f.category, c.as_str())));
        }
        if let Some(s) = q.scenario {
            all.push((Occur::Must, exact(self.f.scenario, s.as_str())));
        }
        if let Some(t) = &q.tag {
            all.push((Occur::Must, exact(self.f.tag, &t.to_lowercase())));
        }
        let query = BooleanQuery::new(all);
        let searcher = self.reader.searcher();
        let (top, total) = searcher
            .search(
                &query,
                &(
                    TopDocs::with_limit(q.limit.max(1))
                        .and_offset(q.offset)
                        .order_by_score(),
                    Count,
                ),
            )
            .map_err(internal)?;
        // Snippets highlight the words themselves (a typo's correction is not marked).
        let terms: BTreeMap<String, f32> = words.iter().map(|w| (w.clone(), 1.0)).collect();
        let tokenizer = analyzer();
        let mut body_gen = SnippetGenerator::new(terms, tokenizer, self.f.body, 160);
        body_gen.set_max_num_chars(160);
        let mut hits = Vec::with_capacity(top.len());
        for (score, addr) in top {
            let doc: TantivyDocument = searcher.doc(addr).map_err(internal)?;
            let id = doc
                .get_first(self.f.id)
                .and_then(|v| v.as_u64())
                .and_then(|v| i32::try_from(v).ok())
                .unwrap_or(0);
            let title = doc
                .get_first(self.f.title)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let title_html = highlight(title, &words);
            let body = doc
                .get_first(self.f.body)
                .and_then(|v| v.as_str())
                .unwrap_or("");
            let mut snippet = body_gen.snippet_from_doc(&doc);
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let snippet_html = if snippet.fragment().is_empty() {
                let head: String = body.chars().take(160).collect();
                let more = if head.len() < body.trim_end().len() {
                    "…"
                } else {
                    ""
                };
                format!("{}{more}", escape(head.trim_end()))
            } else {
                let (before, after) = cut_marks(body, snippet.fragment());
                format!("{before}{}{after}", snippet.to_html())
            };
            hits.push(Hit {
                id,
                score,
                title_html,
                snippet_html,
            });
        }
        Ok(Found { total, hits })
    }

    /// Articles in the index (for checks and the bench).
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The index itself, for the bench's baseline (the library queried directly).
    pub fn index(&self) -> &Index {
        &self.index
    }
}

/// The ellipses a passage cut from `body` needs: "…" before it when it does not start the
/// body, after it when it does not end it (blank space aside).
fn cut_marks(body: &str, fragment: &str) -> (&'static str, &'static str) {
    let Some(at) = body.find(fragment) else {
        return ("", "");
    };
    let before = if body[..at].trim().is_empty() {
        ""
    } else {
        "…"
    };
    let after = if body[at + fragment.len()..].trim().is_empty() {
        ""
    } else {
        "…"
    };
    (before, after)
}

/// The whole of `text` as HTML with every word of `words` in `<mark>` (a title is short:
/// no passage is cut from it). Overlapping words (jieba's search mode gives 服务 and
/// 服务器) are one mark.
fn highlight(text: &str, words: &[String]) -> String {
    let mut a = analyzer();
    let mut stream = a.token_stream(text);
    let mut spans: Vec<(usize, usize)> = Vec::new();
    while let Some(t) = stream.next() {
        if words.contains(&t.text) {
            spans.push((t.offset_from, t.offset_to));
        }
    }
    spans.sort_unstable();
    let mut out = String::with_capacity(text.len() + 16 * spans.len());
    let mut at = 0;
    let mut i = 0;
    while i < spans.len() {
        let (from, mut to) = spans[i];
        while i + 1 < spans.len() && spans[i + 1].0 <= to {
            i += 1;
            to = to.max(spans[i].1);
        }
        i += 1;
        if from < at || !text.is_char_boundary(from) || !text.is_char_boundary(to) {
            continue;
        }
        out.push_str(&escape(&text[at..from]));
        out.push_str("<mark>");
        out.push_str(&escape(&text[from..to]));
        out.push_str("</mark>");
        at = to;
    }
    out.push_str(&escape(&text[at..]));
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Follows the table forever (every [`POLL`]); spawned by the server at start.
pub async fn follow(search: Arc<Search>, db: DatabaseConnection) {
    let mut tick = tokio::time::interval(POLL);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        match search.sync(&db).await {
            Ok(0) => {}
            Ok(n) => tracing::info!(articles = n, "search index followed the table"),
            Err(e) => tracing::warn!(error = %e.message(), "search index sync failed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{cut_marks, highlight};

    #[test]
    fn a_cut_passage_says_so_at_each_cut_end() {
        let body = "价格太贵怎么办。先问预算，再谈价值。";
        assert_eq!(cut_marks(body, body), ("", ""));
        assert_eq!(cut_marks(body, "价格太贵怎么办。"), ("", "…"));
        assert_eq!(cut_marks(body, "再谈价值。"), ("…", ""));
        assert_eq!(cut_marks(body, "先问预算"), ("…", "…"));
        assert_eq!(cut_marks("  text  ", "text"), ("", ""));
        assert_eq!(cut_marks(body, "不在其中"), ("", ""));
    }

    #[test]
    fn a_title_is_highlighted_whole_and_escaped() {
        let w = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(
            highlight(
                "价格异议应对话术（客户说“价格太贵”）",
                &w(&["价格", "太贵"])
            ),
            "<mark>价格</mark>异议应对话术（客户说“<mark>价格太贵</mark>”）"
        );
        assert_eq!(
            highlight("Price <b> & \"too\" expensive", &w(&["price", "expensive"])),
            "<mark>Price</mark> &lt;b&gt; &amp; &quot;too&quot; <mark>expensive</mark>"
        );
        assert_eq!(highlight("无关", &w(&["价格"])), "无关");
    }
}
