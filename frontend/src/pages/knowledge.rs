//! The knowledge base (知识库): search first (as the user types, the words marked in the
//! title and an excerpt; category, objection scenario and tag as chips; query and filters
//! in the URL), and when nothing is searched the categories, the objection scenarios, the
//! most helpful and the latest articles; an article with its votes and versions (any two
//! compared line by line, an old one restored); the editor with a live preview; the
//! contributions (金点子) with their rewards and a supervisor's inbox; and how use of the
//! knowledge base goes with the regions' results. Behind the shell's catch-all route
//! (`/knowledge…`), in the daily-work module; its texts are its own table.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api::{
    ApiError, ArticleDiff, ArticleTags, ContributionDiff, ContributionInbox, DecideContribution,
    KnowledgeArticle, KnowledgeHome, KnowledgeList, KnowledgeSearch, KnowledgeUsage,
    MyContributions, ProposeContribution, RenderMarkdown, RestoreArticleVersion, SaveArticle,
    ViewArticle, VoteArticle, article_diff, article_tags, call, contribution_diff,
    contribution_inbox, decide_contribution, knowledge_article, knowledge_home, knowledge_list,
    knowledge_search, knowledge_usage, my_contributions, propose_contribution, render_markdown,
    restore_article_version, save_article, view_article, vote_article,
};
use crate::charts::{Dot, PaceLegend, ScatterChart, narrow_screen, pace_of, tone};
use crate::components::{
    ErrorBox, ListView, Loading, Pager, Paging, connection, local_time, url_state,
};
use crate::i18n::{pick, t_of};
use crate::{MeResource, PageTitle, Role, viewer_role};

/// This module's texts: key, Chinese, English; sorted by key (a unit test checks).
static TEXTS: &[(&str, &str, &str)] = &[
    ("activeReaders", "活跃读者", "Active readers"),
    ("adopt", "采纳", "Adopt"),
    ("all", "全部", "All"),
    ("allTags", "全部标签", "All tags"),
    ("article", "文章", "Article"),
    ("attainment", "目标达成率", "Attainment"),
    ("body", "正文（Markdown）", "Body (Markdown)"),
    (
        "bodyHint",
        "支持 Markdown：# 标题、**加粗**、- 列表、> 引用",
        "Markdown: # heading, **bold**, - list, > quote",
    ),
    ("by", "提交人", "By"),
    ("c.CASE", "成交案例", "Cases"),
    ("c.CUSTOMER", "客户沟通", "Customers"),
    ("c.PROCESS", "流程制度", "Process"),
    ("c.PRODUCT", "产品知识", "Products"),
    ("c.other", "其他", "Other"),
    ("categories", "分类", "Categories"),
    ("category", "分类", "Category"),
    (
        "chartHint",
        "每个点是一个区域：横轴是人均阅读次数，纵轴是赢单率，颜色是目标达成进度。点一下看数字。",
        "Each dot is a region: reads per rep across, win rate up, colour by progress against target. Tap a dot for its figures.",
    ),
    (
        "chartLabel",
        "各区域人均阅读与赢单率",
        "Reads per rep and win rate by region",
    ),
    ("chooseCategory", "请选择分类", "Choose a category"),
    ("clear", "清空", "Clear"),
    ("compare", "比较", "Compare"),
    (
        "conflict",
        "在你编辑期间，有人保存了这篇文章的新版本。",
        "Someone saved a newer version of this article while you were editing.",
    ),
    (
        "conflictHint",
        "重新加载会读取最新版本；你的修改会保留在下方，可以复制后再改。",
        "Reloading reads the latest version; your text stays below so you can copy it back.",
    ),
    ("contributions", "金点子", "Ideas (金点子)"),
    ("date", "日期", "Date"),
    ("decidedBy", "处理人", "Decided by"),
    ("decline", "不采纳", "Decline"),
    ("diff", "改动", "Changes"),
    ("diffHide", "收起改动", "Hide changes"),
    ("diffShow", "查看改动", "Show changes"),
    ("edit", "编辑", "Edit"),
    ("editTitle", "编辑文章", "Edit article"),
    ("editor", "编辑人", "Editor"),
    ("editorTab", "编写", "Write"),
    ("empty", "没有找到相关文章", "Nothing found"),
    (
        "emptyHint",
        "换个说法试试，比如客户的原话“太贵了”，或去掉筛选。没有合适的？提一个金点子，把你的好办法分享给大家。",
        "Try other words, such as what the customer said (\"too expensive\"), or remove a filter. Nothing fits? Propose an idea and share what works for you.",
    ),
    ("emptyPropose", "提交金点子", "Propose an idea"),
    ("helpful", "有帮助", "Helpful"),
    (
        "helpfulQ",
        "这篇文章对你有帮助吗？",
        "Was this article helpful?",
    ),
    ("helpfulVotes", "有帮助票", "Helpful votes"),
    ("home", "知识库", "Knowledge base"),
    ("inbox", "待处理的金点子", "Ideas to decide"),
    (
        "intro",
        "好的话术和案例值得大家用：提交新文章、改进现有文章，或者提一个点子。采纳后获得积分：新文章 50、改进 20、点子 10。",
        "Good answers and cases are worth sharing: propose a new article, an improvement or an idea. Adopted ones earn points: a new article 50, an improvement 20, an idea 10.",
    ),
    ("k.EDIT", "改进文章", "Improvement"),
    ("k.IDEA", "点子", "Idea"),
    ("k.NEW_ARTICLE", "新文章", "New article"),
    ("k.other", "其他", "Other"),
    ("kind", "类型", "Kind"),
    ("latest", "最新", "Latest"),
    (
        "loadLatest",
        "重新加载最新版本",
        "Reload the latest version",
    ),
    ("mine", "我的金点子", "My ideas"),
    ("more", "更多", "More"),
    ("mostHelpful", "最有帮助", "Most helpful"),
    (
        "needArticle",
        "要改进哪篇文章？请在文章页点“提改进建议”。",
        "Which article? Open it and use \"Propose an improvement\".",
    ),
    (
        "needCategory",
        "新文章需要选择分类",
        "A new article needs a category",
    ),
    (
        "needReason",
        "请写明原因（会告诉提交人）",
        "Please give a reason (the author reads it)",
    ),
    ("new", "新文章", "New article"),
    ("newer", "新", "new"),
    (
        "noChanges",
        "两个版本的正文相同",
        "The two versions read the same",
    ),
    (
        "noDots",
        "这个季度还没有赢单率可画（没有已结束的商机），各区域的阅读见下表。",
        "No win rates to chart this quarter (no opportunity closed yet); the regions' reading is below.",
    ),
    ("noInbox", "没有需要处理的金点子", "Nothing to decide"),
    (
        "noMine",
        "你还没有提交过金点子",
        "You have not proposed anything yet",
    ),
    ("noScenario", "无", "None"),
    ("noUsage", "这个季度没有数据", "No figures for this quarter"),
    ("notHelpful", "没帮助", "Not helpful"),
    ("note", "修改说明（为什么改）", "Note (why it changed)"),
    ("older", "旧", "old"),
    ("opened", "浏览", "views"),
    ("p.ADOPTED", "已采纳", "Adopted"),
    ("p.DECLINED", "未采纳", "Declined"),
    ("p.PROPOSED", "待处理", "Waiting"),
    ("p.other", "其他", "Other"),
    (
        "pickTwo",
        "选两个版本比较：在“旧”一列选较早的，在“新”一列选较晚的。",
        "Pick two versions to compare: the earlier under “old”, the later under “new”.",
    ),
    ("points", "积分", "Points"),
    ("popularTags", "常用标签", "Popular tags"),
    ("preview", "预览", "Preview"),
    (
        "previewEmpty",
        "在左边写正文，这里显示排版后的样子。",
        "Write the body on the left; it shows here as readers will see it.",
    ),
    ("propose", "提改进建议", "Propose an improvement"),
    ("proposeTitle", "提交金点子", "Propose"),
    (
        "proposed",
        "已提交，等待督导处理",
        "Sent; a supervisor will decide",
    ),
    ("quarter", "季度", "Quarter"),
    ("reason", "原因", "Reason"),
    ("recent", "最近更新", "Recently updated"),
    ("region", "区域", "Region"),
    ("reps", "代表数", "Reps"),
    ("restore", "恢复此版本", "Restore this version"),
    (
        "restoreConfirm",
        "把文章恢复为第 {v} 版的内容？这会保存为一个新版本。",
        "Restore the article to version {v}? This saves a new version.",
    ),
    ("results", "篇", "articles"),
    ("reward", "奖励积分", "Reward points"),
    (
        "s.COMPETITOR_COMPARISON",
        "竞品比较",
        "Comparing competitors",
    ),
    (
        "s.COMPLEX_DECISION_CHAIN",
        "决策链复杂",
        "Complex decision chain",
    ),
    ("s.DELAYED_DECISION", "迟迟不决定", "Delayed decision"),
    ("s.NEED_UNCLEAR", "需求不明确", "Unclear need"),
    ("s.PRICE_SENSITIVE", "价格敏感", "Price-sensitive"),
    ("s.TRUST_CONCERN", "信任顾虑", "Trust concerns"),
    ("s.other", "其他", "Other"),
    ("save", "保存", "Save"),
    ("saving", "保存中…", "Saving…"),
    ("scenario", "异议场景", "Objection scenario"),
    ("scenarios", "异议场景", "Objection scenarios"),
    (
        "searchHint",
        "搜索话术、产品、流程、案例，比如：价格太贵",
        "Search answers, products, process and cases, e.g. too expensive",
    ),
    (
        "searchShort",
        "搜话术、案例，如：价格太贵",
        "Search, e.g. too expensive",
    ),
    ("seeAll", "查看全部", "See all"),
    ("send", "提交", "Send"),
    ("status", "状态", "Status"),
    ("sum.adopted", "已采纳", "Adopted"),
    ("sum.declined", "未采纳", "Declined"),
    ("sum.points", "我的积分", "My points"),
    ("sum.proposed", "已提交", "Proposed"),
    ("tabHome", "知识库", "Articles"),
    ("tabIdeas", "金点子", "Ideas"),
    ("tabUsage", "使用与成交", "Usage"),
    ("tags", "标签", "Tags"),
    (
        "tagsHint",
        "用逗号分隔，如：价格, 大客户",
        "Comma separated, e.g. price, key accounts",
    ),
    ("title", "标题", "Title"),
    (
        "unchanged",
        "{n} 行未改动，点开查看",
        "{n} unchanged lines, tap to show",
    ),
    ("updated", "更新于", "Updated"),
    ("usage", "使用与成交", "Use and results"),
    (
        "usageTitle",
        "知识库使用与成交",
        "Knowledge use and results",
    ),
    ("version", "版本", "Version"),
    ("versions", "版本记录", "Versions"),
    ("views", "阅读次数", "Views"),
    ("viewsPerRep", "人均阅读", "Reads per rep"),
    ("winRate", "赢单率", "Win rate"),
    ("year", "年份", "Year"),
    ("yourText", "你未保存的修改", "Your unsaved text"),
];

fn tx(key: &'static str) -> &'static str {
    t_of(TEXTS, key)
}

/// The categories and objection scenarios, in the order they are offered.
const CATEGORIES: [&str; 4] = ["PRODUCT", "CUSTOMER", "PROCESS", "CASE"];
const SCENARIOS: [&str; 6] = [
    "PRICE_SENSITIVE",
    "COMPLEX_DECISION_CHAIN",
    "COMPETITOR_COMPARISON",
    "NEED_UNCLEAR",
    "DELAYED_DECISION",
    "TRUST_CONCERN",
];
const KINDS: [&str; 3] = ["NEW_ARTICLE", "EDIT", "IDEA"];
/// Results per request; "more" asks for the next as many.
const PAGE: i64 = 20;

fn category_key(c: &str) -> &'static str {
    match c {
        "PRODUCT" => "c.PRODUCT",
        "CUSTOMER" => "c.CUSTOMER",
        "PROCESS" => "c.PROCESS",
        "CASE" => "c.CASE",
        _ => "c.other",
    }
}

fn scenario_key(s: &str) -> &'static str {
    match s {
        "PRICE_SENSITIVE" => "s.PRICE_SENSITIVE",
        "COMPLEX_DECISION_CHAIN" => "s.COMPLEX_DECISION_CHAIN",
        "COMPETITOR_COMPARISON" => "s.COMPETITOR_COMPARISON",
        "NEED_UNCLEAR" => "s.NEED_UNCLEAR",
        "DELAYED_DECISION" => "s.DELAYED_DECISION",
        "TRUST_CONCERN" => "s.TRUST_CONCERN",
        _ => "s.other",
    }
}

fn kind_key(k: &str) -> &'static str {
    match k {
        "NEW_ARTICLE" => "k.NEW_ARTICLE",
        "EDIT" => "k.EDIT",
        "IDEA" => "k.IDEA",
        _ => "k.other",
    }
}

fn status_key(s: &str) -> &'static str {
    match s {
        "PROPOSED" => "p.PROPOSED",
        "ADOPTED" => "p.ADOPTED",
        "DECLINED" => "p.DECLINED",
        _ => "p.other",
    }
}

/// The reward an adopted contribution earns unless the decider says otherwise (the
/// server's default too).
fn default_points(kind: &str) -> i64 {
    match kind {
        "NEW_ARTICLE" => 50,
        "EDIT" => 20,
        _ => 10,
    }
}

/// A generated enum's schema name (`PRICE_SENSITIVE`), through its serde form.
fn code<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// A generated enum from its schema name; none for "" (no choice).
fn enum_of<T: serde::de::DeserializeOwned>(name: &str) -> Option<T> {
    if name.is_empty() {
        return None;
    }
    serde_json::from_value(serde_json::Value::String(name.to_owned())).ok()
}

fn some(s: &str) -> Option<String> {
    let s = s.trim().to_owned();
    (!s.is_empty()).then_some(s)
}

/// Tags as typed: separated by commas (either width), 、 or semicolons; trimmed, without
/// repeats, in the order given.
fn split_tags(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in text.split([',', '，', '、', ';', '；']) {
        let tag = part.trim();
        if !tag.is_empty() && !out.iter().any(|t| t == tag) {
            out.push(tag.to_owned());
        }
    }
    out
}

fn article_href(id: &str) -> String {
    format!(
        "/knowledge/article?id={}",
        String::from(js_sys::encode_uri_component(id))
    )
}

/// The day of a timestamp, in the browser's time zone.
fn day(iso: &str) -> String {
    local_time(iso).chars().take(10).collect()
}

/// Whether the viewer edits articles and decides contributions.
fn writes() -> bool {
    matches!(
        viewer_role(),
        Role::ADMIN | Role::DIRECTOR | Role::SUPERVISOR
    )
}

/// The signed-in user's id (to tell their own contributions from others').
fn viewer_id() -> String {
    use_context::<MeResource>()
        .and_then(|m| m.get_untracked())
        .and_then(Result::ok)
        .flatten()
        .map(|d| d.me.id)
        .unwrap_or_default()
}

/// The knowledge pages: `[]` search and overview, `["article"]` an article (`?id=`),
/// `["edit"]` the editor (`?id=` to edit, none for a new article), `["contributions"]`
/// the contributions, `["usage"]` use and results (supervisors and up).
#[component]
pub fn Pages() -> impl IntoView {
    super::style();
    let location = use_location();
    let rest = Memo::new(move |_| {
        location
            .pathname
            .get()
            .trim_start_matches('/')
            .split('/')
            .skip(1)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect::<Vec<_>>()
    });
    move || {
        let r = rest.get();
        match r.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
            [] => view! { <HomePage/> }.into_any(),
            ["article"] => view! { <ArticleRoute/> }.into_any(),
            ["edit"] if writes() => view! { <EditRoute/> }.into_any(),
            // Those who do not edit propose: an improvement of the article, or a new one.
            ["edit"] => view! { <ProposeInstead/> }.into_any(),
            ["contributions"] => view! { <ContributionsPage/> }.into_any(),
            ["usage"] if writes() => view! { <UsagePage/> }.into_any(),
            _ => view! { <NotFound/> }.into_any(),
        }
    }
}

/// An address that is not a page (or not one for this viewer): says so, with the way back.
#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="page kb">
            <div class="state empty kb-notfound">
                <div class="empty-icon">"∅"</div>
                <strong>{move || crate::i18n::t("notfound")}</strong>
                <A href="/knowledge" attr:class="btn">{move || tx("home")}</A>
            </div>
        </section>
    }
}

/// The editor's address for a viewer who does not edit: the form to propose instead.
#[component]
fn ProposeInstead() -> impl IntoView {
    let id = use_query_map()
        .read_untracked()
        .get("id")
        .unwrap_or_default();
    let to = if id.is_empty() {
        "/knowledge/contributions?kind=NEW_ARTICLE".to_owned()
    } else {
        format!(
            "/knowledge/contributions?kind=EDIT&article={}",
            String::from(js_sys::encode_uri_component(&id))
        )
    };
    use_navigate()(
        &to,
        leptos_router::NavigateOptions {
            replace: true,
            ..Default::default()
        },
    );
    view! { <Loading/> }
}

#[component]
fn Tabs() -> impl IntoView {
    view! {
        <nav class="tabs kb-tabs">
            <A href="/knowledge" exact=true>{move || tx("tabHome")}</A>
            <A href="/knowledge/contributions">{move || tx("tabIdeas")}</A>
            {writes().then(|| view! { <A href="/knowledge/usage">{move || tx("tabUsage")}</A> })}
        </nav>
    }
}

/// A thumb up or down (the vote buttons, the counts in lists): drawn, not an emoji, so it
/// shows where no emoji font is installed.
fn thumb(up: bool) -> impl IntoView {
    let d = if up {
        "M14 9V5a3 3 0 0 0-3-3l-4 9v11h11.28a2 2 0 0 0 2-1.7l1.38-9a2 2 0 0 0-2-2.3zM7 22H4a2 2 0 0 1-2-2v-7a2 2 0 0 1 2-2h3"
    } else {
        "M10 15v4a3 3 0 0 0 3 3l4-9V2H5.72a2 2 0 0 0-2 1.7l-1.38 9a2 2 0 0 0 2 2.3zm7-13h2.67A2.31 2.31 0 0 1 22 4v7a2.31 2.31 0 0 1-2.33 2H17"
    };
    view! {
        <svg class="kb-thumb" viewBox="0 0 24 24" width="16" height="16" aria-hidden="true">
            <path d=d/>
        </svg>
    }
}

// ---------------------------------------------------------------------------------------
// Search and overview

/// What is searched: the words and the filters, as the URL keeps them.
#[derive(Clone, PartialEq, Default)]
struct Search {
    text: String,
    category: String,
    scenario: String,
    tag: String,
}

impl Search {
    fn is_empty(&self) -> bool {
        self.text.trim().is_empty()
            && self.category.is_empty()
            && self.scenario.is_empty()
            && self.tag.is_empty()
    }
}

/// One article in a list of results.
#[derive(Clone)]
struct Hit {
    id: String,
    title: String,
    /// The whole title with the words found marked (`<mark>`), escaped by the server.
    title_html: Option<String>,
    /// An excerpt around the words found, sanitised by the server.
    snippet: Option<String>,
    category: String,
    scenario: String,
    tags: Vec<String>,
    updated: String,
    views: i64,
    helpful: i64,
    author: Option<String>,
}

struct HitPage {
    rows: Vec<Hit>,
    total: i64,
    next: Option<String>,
}

/// One page of results: `searchArticles` when words are typed, else the articles of the
/// filters, most helpful first.
async fn fetch_hits(s: Search, after: Option<String>) -> Result<HitPage, ApiError> {
    if s.text.trim().is_empty() {
        use knowledge_list as k;
        let d = call::<KnowledgeList>(k::Variables {
            filter: Some(k::ArticleFilter {
                category: enum_of(&s.category),
                scenario: enum_of(&s.scenario),
                tag: some(&s.tag),
            }),
            order_by: Some(k::ArticleOrder {
                field: k::ArticleOrderField::HELPFUL,
                direction: k::OrderDirection::DESC,
            }),
            first: Some(PAGE),
            after,
        })
        .await?;
        let c = d.articles;
        Ok(HitPage {
            total: c.total_count,
            next: c.page_info.end_cursor.filter(|_| c.page_info.has_next_page),
            rows: c
                .edges
                .into_iter()
                .map(|e| {
                    let n = e.node;
                    Hit {
                        id: n.id,
                        title: n.title,
                        title_html: None,
                        snippet: None,
                        category: code(&n.category),
                        scenario: n.scenario.as_ref().map(code).unwrap_or_default(),
                        tags: n.tags,
                        updated: n.updated_at,
                        views: n.views,
                        helpful: n.helpful_votes,
                        author: n.author_name,
                    }
                })
                .collect(),
        })
    } else {
        use knowledge_search as k;
        let d = call::<KnowledgeSearch>(k::Variables {
            query: s.text.trim().to_owned(),
            filter: Some(k::ArticleFilter {
                category: enum_of(&s.category),
                scenario: enum_of(&s.scenario),
                tag: some(&s.tag),
            }),
            first: Some(PAGE),
            after,
        })
        .await?;
        let c = d.search_articles;
        Ok(HitPage {
            total: c.total_count,
            next: c.page_info.end_cursor.filter(|_| c.page_info.has_next_page),
            rows: c
                .edges
                .into_iter()
                .map(|e| {
                    let n = e.node;
                    Hit {
                        id: n.id,
                        title: n.title,
                        title_html: n.title_highlight,
                        snippet: n.snippet,
                        category: code(&n.category),
                        scenario: n.scenario.as_ref().map(code).unwrap_or_default(),
                        tags: n.tags,
                        updated: n.updated_at,
                        views: n.views,
                        helpful: n.helpful_votes,
                        author: n.author_name,
                    }
                })
                .collect(),
        })
    }
}

/// The results shown: pages appended by "more"; an answer to an older search (typing
/// went on meanwhile) is dropped.
#[derive(Clone, Copy)]
struct Hits {
    rows: RwSignal<Vec<Hit>>,
    total: RwSignal<i64>,
    next: RwSignal<Option<String>>,
    loading: RwSignal<bool>,
    /// Whether the current search has its first answer.
    answered: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    generation: StoredValue<u32>,
}

impl Hits {
    fn new() -> Self {
        Hits {
            rows: RwSignal::new(Vec::new()),
            total: RwSignal::new(0),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
            answered: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// The first page of `s` (replacing what is shown once it arrives), or the next page
    /// after `after` (appended).
    fn load(self, s: Search, after: Option<String>) {
        let more = after.is_some();
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        self.loading.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            let answer = fetch_hits(s, after).await;
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            match answer {
                Ok(p) => {
                    if more {
                        self.rows.update(|r| r.extend(p.rows));
                    } else {
                        self.rows.set(p.rows);
                    }
                    self.total.set(p.total);
                    self.next.set(p.next);
                    self.answered.set(true);
                }
                Err(e) => self.error.set(Some(e)),
            }
            self.loading.set(false);
        });
    }

    fn clear(self) {
        self.generation.update_value(|g| *g += 1);
        self.rows.set(Vec::new());
        self.next.set(None);
        self.loading.set(false);
        self.answered.set(false);
        self.error.set(None);
    }
}

/// The search box first; results as the user types (300 ms after the last key), with the
/// filters as chips; the overview when nothing is searched or filtered.
#[component]
fn HomePage() -> impl IntoView {
    let query = use_query_map();
    let get = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let text = RwSignal::new(get("q"));
    let category = RwSignal::new(get("category"));
    let scenario = RwSignal::new(get("scenario"));
    let tag = RwSignal::new(get("tag"));
    let fields = [
        ("q", text),
        ("category", category),
        ("scenario", scenario),
        ("tag", tag),
    ];
    url_state(
        move || fields.iter().map(|(k, s)| (*k, s.get())).collect(),
        move |q| {
            for (k, s) in fields {
                let v = q.get(k).unwrap_or_default();
                if v != s.get_untracked() {
                    s.set(v);
                }
            }
        },
    );
    let search = Memo::new(move |_| Search {
        text: text.get(),
        category: category.get(),
        scenario: scenario.get(),
        tag: tag.get(),
    });
    let hits = Hits::new();
    Effect::new(move |_| {
        let s = search.get();
        if s.is_empty() {
            hits.clear();
        } else {
            hits.load(s, None);
        }
    });
    let tags = LocalResource::new(|| call::<ArticleTags>(article_tags::Variables {}));
    // Switches between the results and the overview only when searching starts or stops.
    let searching = Memo::new(move |_| !search.with(Search::is_empty));
    view! {
        <section class="page kb">
            <div class="page-head">
                <h1>{move || tx("home")}</h1>
                <span class="spacer"></span>
                {writes().then(|| view! { <A href="/knowledge/edit" attr:class="btn primary">{move || tx("new")}</A> })}
            </div>
            <Tabs/>
            <SearchInput value=text/>
            <div class="kb-filters">
                <div class="kb-chips" role="group" aria-label=move || tx("category")>
                    {CATEGORIES.into_iter().map(|c| view! { <Chip value=c signal=category label=category_key(c)/> }).collect_view()}
                </div>
                <div class="kb-chips" role="group" aria-label=move || tx("scenario")>
                    {SCENARIOS.into_iter().map(|s| view! { <Chip value=s signal=scenario label=scenario_key(s)/> }).collect_view()}
                </div>
                <select name="tag" class="filter" aria-label=move || tx("tags") prop:value=move || tag.get()
                    on:change=move |ev| tag.set(event_target_value(&ev))>
                    <option value="">{move || tx("allTags")}</option>
                    {move || {
                        let chosen = tag.get();
                        let mut list: Vec<(String, i64)> = tags.get().and_then(Result::ok)
                            .map(|d| d.article_tags.into_iter().map(|t| (t.tag, t.count)).collect()).unwrap_or_default();
                        // A tag from the URL shows even before (or without) the list.
                        if !chosen.is_empty() && !list.iter().any(|(t, _)| *t == chosen) {
                            list.insert(0, (chosen.clone(), 0));
                        }
                        list.into_iter().map(|(t, n)| {
                            let selected = t == chosen;
                            let label = if n > 0 { format!("{t} ({n})") } else { t.clone() };
                            view! { <option value=t selected=selected>{label}</option> }
                        }).collect_view()
                    }}
                </select>
            </div>
            {move || if searching.get() {
                view! { <Results hits=hits search=search/> }.into_any()
            } else {
                view! { <Overview tags=tags/> }.into_any()
            }}
        </section>
    }
}

/// The search input: what is typed shows at once, `value` (and the URL, and the search)
/// follows 300 ms after the last key.
#[component]
fn SearchInput(value: RwSignal<String>) -> impl IntoView {
    let narrow = narrow_screen();
    let draft = RwSignal::new(value.get_untracked());
    Effect::new(move |_| {
        let v = value.get();
        if v != draft.get_untracked() {
            draft.set(v);
        }
    });
    let pending = StoredValue::new(None::<TimeoutHandle>);
    on_cleanup(move || {
        if let Some(Some(h)) = pending.try_get_value() {
            h.clear();
        }
    });
    view! {
        <div class="kb-search" role="search">
            <input class="search kb-q" type="search" name="q" autocomplete="off"
                placeholder=move || if narrow { tx("searchShort") } else { tx("searchHint") }
                aria-label=move || tx("searchHint")
                prop:value=move || draft.get()
                on:input=move |ev| {
                    let v = event_target_value(&ev);
                    draft.set(v.clone());
                    if let Some(h) = pending.get_value() {
                        h.clear();
                    }
                    let h = set_timeout_with_handle(move || value.set(v), std::time::Duration::from_millis(300)).ok();
                    pending.set_value(h);
                }/>
            {move || (!draft.get().is_empty()).then(|| view! {
                <button type="button" class="btn ghost kb-clear" aria-label=move || tx("clear") on:click=move |_| {
                    if let Some(h) = pending.get_value() {
                        h.clear();
                    }
                    draft.set(String::new());
                    value.set(String::new());
                }>"×"</button>
            })}
        </div>
    }
}

/// A filter chip: pressed when `signal` holds `value`; a press chooses it, a second
/// press lets it go.
#[component]
fn Chip(value: &'static str, signal: RwSignal<String>, label: &'static str) -> impl IntoView {
    let on = move || signal.get() == value;
    view! {
        <button type="button" class="chip kb-chip" class:on=on aria-pressed=move || if on() { "true" } else { "false" }
            data-value=value
            on:click=move |_| signal.update(|s| if s == value { s.clear() } else { *s = value.to_owned() })>
            {move || tx(label)}
        </button>
    }
}

#[component]
fn Results(hits: Hits, search: Memo<Search>) -> impl IntoView {
    move || {
        if let Some(e) = hits.error.get() {
            return view! { <ErrorBox error=e retry=Callback::new(move |_| hits.load(search.get_untracked(), None))/> }.into_any();
        }
        if !hits.answered.get() {
            return view! { <Loading/> }.into_any();
        }
        let rows = hits.rows.get();
        if rows.is_empty() {
            let words = search.with(|s| s.text.trim().to_owned());
            let href = if words.is_empty() {
                "/knowledge/contributions?kind=NEW_ARTICLE".to_owned()
            } else {
                format!(
                    "/knowledge/contributions?kind=NEW_ARTICLE&title={}",
                    String::from(js_sys::encode_uri_component(&words))
                )
            };
            return view! {
                <div class="state empty kb-empty" data-testid="kb-empty">
                    <div class="empty-icon">"∅"</div>
                    <strong>{move || tx("empty")}</strong>
                    <p>{move || tx("emptyHint")}</p>
                    <A href=href attr:class="btn">{move || tx("emptyPropose")}</A>
                </div>
            }
            .into_any();
        }
        view! {
            <p class="muted kb-count" class:busy=move || hits.loading.get()>{move || hits.total.get()}" "{move || tx("results")}</p>
            <ul class="kb-hits" class:busy=move || hits.loading.get()>
                {rows.into_iter().map(|h| view! { <HitItem hit=h/> }).collect_view()}
            </ul>
            {move || hits.next.get().map(|cursor| view! {
                <button class="btn kb-more" disabled=move || hits.loading.get()
                    on:click=move |_| hits.load(search.get_untracked(), Some(cursor.clone()))>
                    {move || tx("more")}
                </button>
            })}
        }.into_any()
    }
}

#[component]
fn HitItem(hit: Hit) -> impl IntoView {
    let href = article_href(&hit.id);
    let title = match hit.title_html {
        Some(html) => view! { <span inner_html=html></span> }.into_any(),
        None => view! { <span>{hit.title.clone()}</span> }.into_any(),
    };
    let (ck, sk) = (category_key(&hit.category), scenario_key(&hit.scenario));
    let has_scenario = !hit.scenario.is_empty();
    view! {
        <li class="kb-hit" data-testid="kb-hit">
            <A href=href attr:class="kb-title">{title}</A>
            {hit.snippet.map(|s| view! { <p class="kb-snippet" inner_html=s></p> })}
            <div class="kb-meta">
                <span class="badge kb-cat">{move || tx(ck)}</span>
                {has_scenario.then(|| view! { <span class="badge kb-scn">{move || tx(sk)}</span> })}
                {hit.tags.into_iter().map(|t| view! { <span class="kb-tag">"#"{t}</span> }).collect_view()}
                <span class="muted kb-stats">
                    <span class="kb-up" title=move || tx("helpfulVotes")>{thumb(true)}{hit.helpful}</span>
                    " · "{hit.views}" "{move || tx("opened")}" · "{day(&hit.updated)}
                    {hit.author.map(|a| format!(" · {a}"))}</span>
            </div>
        </li>
    }
}

/// What the knowledge base holds, when nothing is searched: categories with their best
/// articles, the objection scenarios, the most helpful and the latest articles, tags.
#[component]
fn Overview(tags: LocalResource<Result<article_tags::ResponseData, ApiError>>) -> impl IntoView {
    let data = LocalResource::new(|| call::<KnowledgeHome>(knowledge_home::Variables {}));
    move || match data.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any()
        }
        Some(Ok(d)) => {
            let titles = |edges: Vec<(String, String)>| {
                edges
                    .into_iter()
                    .map(|(id, title)| {
                        view! {
                            <li><A href=article_href(&id)>{title}</A></li>
                        }
                    })
                    .collect_view()
            };
            let count_of = |c: &str| {
                d.counts
                    .categories
                    .iter()
                    .find(|k| code(&k.category) == c)
                    .map_or(0, |k| k.count)
            };
            // Each aliased list has its own generated type.
            macro_rules! list {
                ($edges:expr) => {
                    $edges
                        .into_iter()
                        .map(|e| (e.node.id, e.node.title))
                        .collect::<Vec<_>>()
                };
            }
            let categories = vec![
                ("PRODUCT", count_of("PRODUCT"), list!(d.product.edges)),
                ("CUSTOMER", count_of("CUSTOMER"), list!(d.customer.edges)),
                ("PROCESS", count_of("PROCESS"), list!(d.process.edges)),
                ("CASE", count_of("CASE"), list!(d.cases.edges)),
            ];
            let scenarios: Vec<(String, i64)> = d
                .counts
                .scenarios
                .iter()
                .map(|s| (code(&s.scenario), s.count))
                .collect();
            view! {
                <h2>{move || tx("categories")}</h2>
                <div class="kb-categories">
                    {categories.into_iter().map(|(c, n, list)| {
                        let key = category_key(c);
                        view! {
                            <div class="card kb-category" data-category=c>
                                <A href=format!("/knowledge?category={c}") attr:class="kb-category-head">
                                    <strong>{move || tx(key)}</strong><span class="kb-n">{n}</span>
                                </A>
                                <ul>{titles(list)}</ul>
                                {(n > 3).then(|| view! { <A href=format!("/knowledge?category={c}") attr:class="small">{move || tx("seeAll")}" →"</A> })}
                            </div>
                        }
                    }).collect_view()}
                </div>
                <h2>{move || tx("scenarios")}</h2>
                <div class="kb-scenarios">
                    {scenarios.into_iter().map(|(s, n)| {
                        let key = scenario_key(&s);
                        view! {
                            <A href=format!("/knowledge?scenario={s}") attr:class="kb-scenario" attr:data-scenario=s>
                                <strong>{move || tx(key)}</strong><span class="kb-n">{n}</span>
                            </A>
                        }
                    }).collect_view()}
                </div>
                <div class="kb-columns">
                    <div class="card">
                        <h2>{move || tx("mostHelpful")}</h2>
                        <ol class="kb-top">{d.helpful.edges.into_iter().map(|e| {
                            let n = e.node;
                            let ck = category_key(&code(&n.category));
                            view! { <li>
                                <A href=article_href(&n.id)>{n.title}</A>
                                <small class="muted kb-stats">{move || tx(ck)}" · "
                                    <span class="kb-up" title=move || tx("helpfulVotes")>{thumb(true)}{n.helpful_votes}</span>
                                    " · "<span class="kb-nowrap">{n.views}" "{move || tx("opened")}</span></small>
                            </li> }
                        }).collect_view()}</ol>
                    </div>
                    <div class="card">
                        <h2>{move || tx("recent")}</h2>
                        <ol class="kb-top">{d.recent.edges.into_iter().map(|e| {
                            let n = e.node;
                            view! { <li>
                                <A href=article_href(&n.id)>{n.title}</A>
                                <small class="muted kb-stats"><span class="kb-nowrap">{day(&n.updated_at)}</span>{n.author_name.map(|a| format!(" · {a}"))}</small>
                            </li> }
                        }).collect_view()}</ol>
                    </div>
                </div>
                {move || tags.get().and_then(Result::ok).filter(|d| !d.article_tags.is_empty()).map(|d| view! {
                    <h2>{move || tx("popularTags")}</h2>
                    <div class="kb-tags">{d.article_tags.into_iter().take(24).map(|t| view! {
                        <A href=format!("/knowledge?tag={}", String::from(js_sys::encode_uri_component(&t.tag))) attr:class="kb-tag">
                            "#"{t.tag.clone()}<small>" "{t.count}</small>
                        </A>
                    }).collect_view()}</div>
                })}
            }.into_any()
        }
    }
}

// ---------------------------------------------------------------------------------------
// An article

#[component]
fn ArticleRoute() -> impl IntoView {
    let query = use_query_map();
    let id = Memo::new(move |_| query.read().get("id").unwrap_or_default());
    move || {
        let id = id.get();
        if id.is_empty() {
            view! { <p class="muted">{move || crate::i18n::t("notfound")}</p> }.into_any()
        } else {
            view! { <ArticlePage id=id/> }.into_any()
        }
    }
}

#[component]
fn ArticlePage(id: String) -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let aid = id.clone();
    let data = LocalResource::new(move || {
        reload.track();
        call::<KnowledgeArticle>(knowledge_article::Variables { id: aid.clone() })
    });
    // One view per opening (the server counts one per person and day).
    let views = RwSignal::new(None::<i64>);
    leptos::task::spawn_local(async move {
        if let Ok(d) = call::<ViewArticle>(view_article::Variables { id }).await {
            views.set(Some(d.view_article.views));
        }
    });
    let title = expect_context::<PageTitle>().0;
    on_cleanup(move || title.set(None));
    view! {
        <section class="page kb kb-article">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    let knowledge_article::KnowledgeArticleNode::Article(a) = d.node else {
                        return view! { <p class="muted">{move || crate::i18n::t("notfound")}</p> }.into_any();
                    };
                    title.set(Some(a.title.clone()));
                    let category = code(&a.category);
                    let ck = category_key(&category);
                    let scenario = a.scenario.as_ref().map(code);
                    let edit = format!("/knowledge/edit?id={}", String::from(js_sys::encode_uri_component(&a.id)));
                    let propose = format!("/knowledge/contributions?kind=EDIT&article={}", String::from(js_sys::encode_uri_component(&a.id)));
                    let base_views = a.views;
                    let versions: Vec<Version> = a.versions.into_iter().map(|v| Version {
                        version: v.version,
                        title: v.title,
                        editor: v.editor_name,
                        note: v.note,
                        at: v.created_at,
                    }).collect();
                    view! {
                        <p class="crumbs"><A href="/knowledge">{move || tx("home")}</A>" / "
                            <A href=format!("/knowledge?category={category}")>{move || tx(ck)}</A></p>
                        <div class="page-head">
                            <h1 class="kb-h1">{a.title.clone()}</h1>
                            <div class="actions">
                                <A href=propose attr:class="btn kb-propose">{move || tx("propose")}</A>
                                {writes().then(|| view! { <A href=edit attr:class="btn primary kb-edit">{move || tx("edit")}</A> })}
                            </div>
                        </div>
                        <div class="kb-meta">
                            <span class="badge kb-cat">{move || tx(ck)}</span>
                            {scenario.map(|s| {
                                let sk = scenario_key(&s);
                                view! { <A href=format!("/knowledge?scenario={s}") attr:class="badge kb-scn">{move || tx(sk)}</A> }
                            })}
                            {a.tags.into_iter().map(|t| {
                                let href = format!("/knowledge?tag={}", String::from(js_sys::encode_uri_component(&t)));
                                view! { <A href=href attr:class="kb-tag">"#"{t}</A> }
                            }).collect_view()}
                        </div>
                        <p class="muted small">
                            {a.author_name.map(|u| format!("{u} · "))}
                            {move || tx("updated")}" "{local_time(&a.updated_at)}" · "{move || tx("version")}" "{a.version}" · "
                            <span data-testid="kb-views">{move || views.get().unwrap_or(base_views)}</span>" "{move || tx("opened")}
                        </p>
                        <article class="card kb-body" inner_html=a.body_html></article>
                        <Feedback id=a.id.clone() mine=a.my_vote up=a.helpful_votes down=a.not_helpful_votes/>
                        <Versions id=a.id.clone() current=a.version title=a.title versions=versions reload=reload/>
                    }.into_any()
                }
            }}
        </section>
    }
}

/// 👍 / 👎 with their counts; the viewer's choice is pressed, a second press takes it back.
#[component]
fn Feedback(id: String, mine: Option<bool>, up: i64, down: i64) -> impl IntoView {
    let mine = RwSignal::new(mine);
    let up = RwSignal::new(up);
    let down = RwSignal::new(down);
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let id = StoredValue::new(id);
    let cast = move |helpful: bool| {
        let next = if mine.get_untracked() == Some(helpful) {
            None
        } else {
            Some(helpful)
        };
        busy.set(true);
        error.set(None);
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            match call::<VoteArticle>(vote_article::Variables { id, helpful: next }).await {
                Ok(d) => {
                    let v = d.vote_article;
                    mine.set(v.my_vote);
                    up.set(v.helpful_votes);
                    down.set(v.not_helpful_votes);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <div class="card kb-feedback">
            <span>{move || tx("helpfulQ")}</span>
            <button type="button" class="btn kb-vote up" class:chosen=move || mine.get() == Some(true)
                aria-pressed=move || if mine.get() == Some(true) { "true" } else { "false" }
                disabled=move || busy.get() on:click=move |_| cast(true)>
                {thumb(true)}{move || tx("helpful")}" "<b>{move || up.get()}</b>
            </button>
            <button type="button" class="btn kb-vote down" class:chosen=move || mine.get() == Some(false)
                aria-pressed=move || if mine.get() == Some(false) { "true" } else { "false" }
                disabled=move || busy.get() on:click=move |_| cast(false)>
                {thumb(false)}{move || tx("notHelpful")}" "<b>{move || down.get()}</b>
            </button>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
        </div>
    }
}

#[derive(Clone)]
struct Version {
    version: i64,
    title: String,
    editor: Option<String>,
    note: Option<String>,
    at: String,
}

/// The versions, newest first: two picked are compared line by line; an older one can be
/// restored (as a new version) by those who edit.
#[component]
fn Versions(
    id: String,
    current: i64,
    /// The article's title now: a version's title shows only where it was another.
    title: String,
    versions: Vec<Version>,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let newest = versions.first().map_or(current, |v| v.version);
    let older = versions.get(1).map_or(newest, |v| v.version);
    let from = RwSignal::new(older);
    let to = RwSignal::new(newest);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(id);
    let diff = LocalResource::new(move || {
        let (f, t) = (from.get(), to.get());
        let id = id.get_value();
        async move {
            if f == t {
                return Ok(Vec::new());
            }
            let d = call::<ArticleDiff>(article_diff::Variables { id, from: f, to: t }).await?;
            Ok(match d.node {
                article_diff::ArticleDiffNode::Article(a) => a
                    .diff
                    .into_iter()
                    .map(|l| (code(&l.kind), l.text))
                    .collect(),
                _ => Vec::new(),
            })
        }
    });
    let restore = move |version: i64| {
        let question = tx("restoreConfirm").replace("{v}", &version.to_string());
        if !window().confirm_with_message(&question).unwrap_or(false) {
            return;
        }
        busy.set(true);
        error.set(None);
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            match call::<RestoreArticleVersion>(restore_article_version::Variables {
                id,
                version,
                current_version: current,
            })
            .await
            {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let count = versions.len();
    let two = count > 1;
    let edit = writes();
    view! {
        <details class="card kb-versions" open=false>
            <summary>{move || tx("versions")}" ("{count}")"</summary>
            {two.then(|| view! { <p class="muted small">{move || tx("pickTwo")}</p> })}
            <table class="list kb-version-list">
                <thead><tr>
                    <th>{move || tx("version")}</th>
                    {two.then(|| view! { <th>{move || tx("compare")}</th> })}
                    <th>{move || tx("editor")}</th><th>{move || tx("date")}</th><th>{move || tx("note")}</th>
                    {edit.then(|| view! { <th></th> })}
                </tr></thead>
                <tbody>{versions.into_iter().map(|v| {
                    let n = v.version;
                    let is_current = n == current;
                    let renamed = (v.title != title).then(|| v.title.clone());
                    view! { <tr class:current=is_current>
                        <td data-label=move || tx("version")><b>"v"{n}</b>{is_current.then(|| view! { " "<span class="badge active">{move || tx("latest")}</span> })}
                            {renamed.map(|t| view! { <small class="muted kb-vtitle">{t}</small> })}</td>
                        {two.then(|| view! { <td data-label=move || tx("compare") class="kb-pick">
                            <label class="kb-radio" title=move || tx("older")>
                                <input type="radio" name="from" aria-label=format!("from v{n}") prop:checked=move || from.get() == n on:change=move |_| from.set(n)/>
                                <small>{move || tx("older")}</small>
                            </label>
                            <label class="kb-radio" title=move || tx("newer")>
                                <input type="radio" name="to" aria-label=format!("to v{n}") prop:checked=move || to.get() == n on:change=move |_| to.set(n)/>
                                <small>{move || tx("newer")}</small>
                            </label>
                        </td> })}
                        <td class="kb-nowrap" data-label=move || tx("editor")>{v.editor.clone().unwrap_or_else(|| "—".into())}</td>
                        <td class="kb-nowrap" data-label=move || tx("date")>{local_time(&v.at)}</td>
                        <td data-label=move || tx("note")>{v.note.filter(|n| !n.trim().is_empty()).unwrap_or_else(|| "—".into())}</td>
                        {edit.then(|| view! { <td>{(!is_current).then(|| view! {
                            <button type="button" class="btn small-btn kb-restore" disabled=move || busy.get()
                                on:click=move |_| restore(n)>{move || tx("restore")}</button>
                        })}</td> })}
                    </tr> }
                }).collect_view()}</tbody>
            </table>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
            {two.then(|| view! {
                <h3>{move || tx("diff")}" v"{move || from.get()}" → v"{move || to.get()}</h3>
                {move || match diff.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| diff.refetch())/> }.into_any(),
                    Some(Ok(lines)) => view! { <DiffLines lines=lines/> }.into_any(),
                }}
            })}
        </details>
    }
}

/// Unchanged lines shown around each change in a diff; longer unchanged runs fold.
const CONTEXT: usize = 2;

/// The runs of a diff, in order: `(start, end, folded)` over the line indexes, where a
/// folded run is at least three unchanged lines more than `context` away from any change.
fn diff_runs(changed: &[bool], context: usize) -> Vec<(usize, usize, bool)> {
    let n = changed.len();
    let near: Vec<bool> = (0..n)
        .map(|i| {
            let lo = i.saturating_sub(context);
            let hi = (i + context + 1).min(n);
            changed[lo..hi].iter().any(|c| *c)
        })
        .collect();
    let mut runs: Vec<(usize, usize, bool)> = Vec::new();
    let mut start = 0;
    while start < n {
        let hidden = !near[start];
        let mut end = start;
        while end < n && near[end] != hidden {
            end += 1;
        }
        // A fold of one or two lines takes as much room as the lines.
        let folded = hidden && end - start >= 3;
        match runs.last_mut() {
            Some(last) if !last.2 && !folded => last.1 = end,
            _ => runs.push((start, end, folded)),
        }
        start = end;
    }
    runs
}

/// A line diff: added green with +, removed red with −, a few kept lines around each
/// change and longer kept runs folded (a tap unfolds them).
#[component]
fn DiffLines(lines: Vec<(String, String)>) -> impl IntoView {
    let line = |(kind, text): (String, String)| {
        let (class, sign) = match kind.as_str() {
            "ADDED" => ("added", "+"),
            "REMOVED" => ("removed", "−"),
            _ => ("same", " "),
        };
        view! { <div class=format!("dl {class}")><span class="sign" aria-hidden="true">{sign}</span><span>{text}</span></div> }
    };
    let changed: Vec<bool> = lines
        .iter()
        .map(|(k, _)| k == "ADDED" || k == "REMOVED")
        .collect();
    if !changed.iter().any(|c| *c) {
        return view! { <p class="muted kb-diff-none" data-testid="kb-diff">{move || tx("noChanges")}</p> }.into_any();
    }
    let mut lines = lines.into_iter();
    let runs: Vec<(bool, Vec<(String, String)>)> = diff_runs(&changed, CONTEXT)
        .into_iter()
        .map(|(start, end, folded)| (folded, lines.by_ref().take(end - start).collect()))
        .collect();
    view! {
        <div class="kb-diff" data-testid="kb-diff">
            {runs.into_iter().map(|(folded, run)| if folded {
                let open = RwSignal::new(false);
                let count = run.len().to_string();
                let run = StoredValue::new(run);
                view! {
                    {move || if open.get() {
                        run.get_value().into_iter().map(line).collect_view().into_any()
                    } else {
                        let count = count.clone();
                        view! {
                            <button type="button" class="dl fold" on:click=move |_| open.set(true)>
                                <span class="sign" aria-hidden="true">"…"</span>
                                <span>{move || tx("unchanged").replace("{n}", &count)}</span>
                            </button>
                        }.into_any()
                    }}
                }.into_any()
            } else {
                run.into_iter().map(line).collect_view().into_any()
            }).collect_view()}
        </div>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// The editor

/// An article as the editor holds it.
#[derive(Clone, Default)]
struct Draft {
    id: Option<String>,
    version: Option<i64>,
    title: String,
    body: String,
    category: String,
    scenario: String,
    tags: String,
}

#[component]
fn EditRoute() -> impl IntoView {
    let query = use_query_map();
    let id = Memo::new(move |_| query.read().get("id").unwrap_or_default());
    move || {
        let id = id.get();
        if id.is_empty() {
            view! { <Editor draft=Draft::default() lost=RwSignal::new(None) reload=Callback::new(|_| ())/> }.into_any()
        } else {
            view! { <EditLoader id=id/> }.into_any()
        }
    }
}

#[component]
fn EditLoader(id: String) -> impl IntoView {
    let data = LocalResource::new(move || {
        call::<KnowledgeArticle>(knowledge_article::Variables { id: id.clone() })
    });
    // The text of a save refused as stale, kept across the reload.
    let lost = RwSignal::new(None::<String>);
    move || match data.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any()
        }
        Some(Ok(d)) => match d.node {
            knowledge_article::KnowledgeArticleNode::Article(a) => {
                let draft = Draft {
                    id: Some(a.id),
                    version: Some(a.version),
                    title: a.title,
                    body: a.body,
                    category: code(&a.category),
                    scenario: a.scenario.as_ref().map(code).unwrap_or_default(),
                    tags: a.tags.join(", "),
                };
                view! { <Editor draft=draft lost=lost reload=Callback::new(move |_| data.refetch())/> }.into_any()
            }
            _ => view! { <p class="muted">{move || crate::i18n::t("notfound")}</p> }.into_any(),
        },
    }
}

/// Title, category, scenario, tags, the body beside its live preview (below it behind a
/// tab on a phone), a note; a save against the version read (a stale one says so).
#[component]
fn Editor(draft: Draft, lost: RwSignal<Option<String>>, reload: Callback<()>) -> impl IntoView {
    let navigate = use_navigate();
    let Draft {
        id,
        version,
        title,
        body,
        category,
        scenario,
        tags,
    } = draft;
    let is_new = id.is_none();
    let back = id
        .as_deref()
        .map_or_else(|| "/knowledge".to_owned(), article_href);
    let title = RwSignal::new(title);
    let body = RwSignal::new(body);
    let category = RwSignal::new(category);
    let scenario = RwSignal::new(scenario);
    let tags = RwSignal::new(tags);
    let note = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let tab = RwSignal::new("write");
    let preview = RwSignal::new(String::new());
    let preview_error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let popular = LocalResource::new(|| call::<ArticleTags>(article_tags::Variables {}));
    // The preview follows the body 300 ms after the last key; an older answer is dropped.
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let generation = StoredValue::new(0u32);
    Effect::new(move |_| {
        let text = body.get();
        if let Some(h) = pending.get_value() {
            h.clear();
        }
        let h = set_timeout_with_handle(
            move || {
                generation.update_value(|g| *g += 1);
                let Some(mine) = generation.try_get_value() else {
                    return;
                };
                if text.trim().is_empty() {
                    preview.set(String::new());
                    return;
                }
                leptos::task::spawn_local(async move {
                    let answer =
                        call::<RenderMarkdown>(render_markdown::Variables { body: text }).await;
                    if generation.try_get_value() != Some(mine) {
                        return;
                    }
                    match answer {
                        Ok(d) => {
                            preview.set(d.render_markdown);
                            preview_error.set(None);
                        }
                        Err(e) => preview_error.set(Some(e)),
                    }
                });
            },
            std::time::Duration::from_millis(300),
        )
        .ok();
        pending.set_value(h);
    });
    on_cleanup(move || {
        if let Some(Some(h)) = pending.try_get_value() {
            h.clear();
        }
    });
    let save_id = id;
    let nav = navigate.clone();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        use save_article as s;
        let Some(cat) = enum_of::<s::ArticleCategory>(&category.get_untracked()) else {
            error.set(Some(ApiError {
                code: "BAD_USER_INPUT".into(),
                message: tx("chooseCategory").to_owned(),
            }));
            return;
        };
        let input = s::SaveArticleInput {
            id: save_id.clone(),
            version,
            title: title.get_untracked().trim().to_owned(),
            body: body.get_untracked(),
            category: cat,
            scenario: enum_of(&scenario.get_untracked()),
            tags: split_tags(&tags.get_untracked()),
            note: some(&note.get_untracked()),
        };
        busy.set(true);
        error.set(None);
        let navigate = nav.clone();
        leptos::task::spawn_local(async move {
            match call::<SaveArticle>(s::Variables { input }).await {
                Ok(d) => {
                    lost.set(None);
                    navigate(&article_href(&d.save_article.id), Default::default());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let take_latest = move |_| {
        lost.set(Some(body.get_untracked()));
        reload.run(());
    };
    let add_tag = move |t: String| {
        tags.update(|s| {
            let mut list = split_tags(s);
            if !list.contains(&t) {
                list.push(t);
            }
            *s = list.join(", ");
        });
    };
    view! {
        <section class="page kb kb-editor-page">
            <p class="crumbs"><A href="/knowledge">{move || tx("home")}</A>" / "{move || if is_new { tx("new") } else { tx("editTitle") }}</p>
            <h1>{move || if is_new { tx("new") } else { tx("editTitle") }}</h1>
            <form class="form kb-editor" on:submit=save>
                <label>{move || tx("title")}
                    <input type="text" name="title" required maxlength="200" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
                </label>
                <div class="kb-row">
                    <label>{move || tx("category")}
                        <select name="category" required prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                            <option value="">{move || tx("chooseCategory")}</option>
                            {CATEGORIES.into_iter().map(|c| {
                                let key = category_key(c);
                                view! { <option value=c selected=move || category.get_untracked() == c>{move || tx(key)}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label>{move || tx("scenario")}
                        <select name="scenario" prop:value=move || scenario.get() on:change=move |ev| scenario.set(event_target_value(&ev))>
                            <option value="">{move || tx("noScenario")}</option>
                            {SCENARIOS.into_iter().map(|s| {
                                let key = scenario_key(s);
                                view! { <option value=s selected=move || scenario.get_untracked() == s>{move || tx(key)}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </div>
                <label>{move || tx("tags")}
                    <input type="text" name="tags" placeholder=move || tx("tagsHint") prop:value=move || tags.get() on:input=move |ev| tags.set(event_target_value(&ev))/>
                </label>
                {move || popular.get().and_then(Result::ok).filter(|d| !d.article_tags.is_empty()).map(|d| view! {
                    <div class="kb-tags suggest">{d.article_tags.into_iter().take(12).map(|t| {
                        let tag = t.tag.clone();
                        view! { <button type="button" class="kb-tag" on:click=move |_| add_tag(tag.clone())>"+ "{t.tag}</button> }
                    }).collect_view()}</div>
                })}
                <div class="kb-pane-tabs" role="tablist">
                    <button type="button" role="tab" class="tab" class:active=move || tab.get() == "write" on:click=move |_| tab.set("write")>{move || tx("editorTab")}</button>
                    <button type="button" role="tab" class="tab" class:active=move || tab.get() == "preview" on:click=move |_| tab.set("preview")>{move || tx("preview")}</button>
                </div>
                <div class="kb-panes" data-tab=move || tab.get()>
                    <label class="kb-pane write">{move || tx("body")}
                        <textarea name="body" rows="20" required prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
                        <small class="muted">{move || tx("bodyHint")}</small>
                    </label>
                    <div class="kb-pane preview">
                        <span class="kb-pane-title">{move || tx("preview")}</span>
                        {move || preview_error.get().map(|e| view! { <p class="form-error">{pick(&e.message)}</p> })}
                        <div class="card kb-body" data-testid="kb-preview" data-empty=move || tx("previewEmpty") inner_html=move || preview.get()></div>
                    </div>
                </div>
                {(!is_new).then(|| view! {
                    <label>{move || tx("note")}
                        <input type="text" name="note" maxlength="500" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))/>
                    </label>
                })}
                {move || error.get().map(|e| if e.code == "CONFLICT" {
                    view! {
                        <div class="form-error kb-conflict" role="alert" data-testid="kb-conflict">
                            <strong>{move || tx("conflict")}</strong>
                            <p>{move || tx("conflictHint")}</p>
                            <button type="button" class="btn" on:click=take_latest>{move || tx("loadLatest")}</button>
                        </div>
                    }.into_any()
                } else {
                    view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> }.into_any()
                })}
                <div class="actions">
                    <button class="btn primary" type="submit" disabled=move || busy.get()>{move || if busy.get() { tx("saving") } else { tx("save") }}</button>
                    <A href=back attr:class="btn">{move || crate::i18n::t("cancel")}</A>
                </div>
                {move || lost.get().map(|text| view! {
                    <details class="kb-lost" open=true>
                        <summary>{move || tx("yourText")}</summary>
                        <textarea readonly rows="10">{text}</textarea>
                    </details>
                })}
            </form>
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// Contributions (金点子)

/// The viewer's totals and contributions, the form to propose (prefilled from an article
/// by `?kind=EDIT&article=<id>`, or a title by `?title=`), and for supervisors and up the
/// inbox of contributions to decide.
#[component]
fn ContributionsPage() -> impl IntoView {
    let query = use_query_map();
    let get = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let (kind, article, title) = (get("kind"), get("article"), get("title"));
    let reload = RwSignal::new(0u32);
    let open = !kind.is_empty() || viewer_role() == Role::REP;
    view! {
        <section class="page kb kb-contributions">
            <div class="page-head"><h1>{move || tx("contributions")}</h1></div>
            <Tabs/>
            <p class="muted">{move || tx("intro")}</p>
            // Those who decide find the inbox first; their own totals show once they have any.
            {writes().then(|| view! { <Inbox reload=reload/> })}
            <Mine reload=reload summary_only=true/>
            <details class="card kb-propose-card" open=open>
                <summary>{move || tx("proposeTitle")}</summary>
                <ProposeForm kind=kind article=article title=title reload=reload/>
            </details>
            <Mine reload=reload summary_only=false/>
        </section>
    }
}

/// The viewer's totals (`summary_only`) or their contributions, one page at a time.
#[component]
fn Mine(reload: RwSignal<u32>, summary_only: bool) -> impl IntoView {
    let paging = Paging::new(20);
    let data = LocalResource::new(move || {
        reload.track();
        call::<MyContributions>(my_contributions::Variables {
            first: Some(if summary_only { 1 } else { paging.size }),
            after: if summary_only {
                None
            } else {
                paging.after.get()
            },
        })
    });
    if summary_only {
        return view! {
            {move || data.get().and_then(Result::ok).filter(|d| !writes() || d.contribution_summary.proposed > 0).map(|d| {
                let s = d.contribution_summary;
                view! {
                    <div class="grid3 totals kb-summary" data-testid="kb-summary">
                        <div class="card points"><span class="label">{move || tx("sum.points")}</span><span class="big">{s.reward_points}</span></div>
                        <div class="card"><span class="label">{move || tx("sum.proposed")}</span><span class="big">{s.proposed}</span></div>
                        <div class="card"><span class="label">{move || tx("sum.adopted")}</span><span class="big">{s.adopted}</span></div>
                        <div class="card"><span class="label">{move || tx("sum.declined")}</span><span class="big">{s.declined}</span></div>
                    </div>
                }
            })}
        }
        .into_any();
    }
    view! {
        <h2>{move || tx("mine")}</h2>
        <ListView data=data paging=paging page=|d: my_contributions::ResponseData| connection!(d.contributions)
            class="kb-mine"
            head=move || view! {
                <th>{move || tx("title")}</th>
                <th>{move || tx("kind")}</th>
                <th>{move || tx("date")}</th>
                <th>{move || tx("status")}</th>
                <th class="num">{move || tx("points")}</th>
                <th>{move || tx("reason")}</th>
            }
            row=Callback::new(|n: my_contributions::MyContributionsContributionsEdgesNode| {
                let status = code(&n.status);
                let (kk, sk) = (kind_key(&code(&n.kind)), status_key(&status));
                let badge = status.to_lowercase();
                // An improvement usually keeps its article's title: then the title is the link.
                let title = match n.article {
                    Some(a) if a.title == n.title => view! { <A href=article_href(&a.id)>{a.title}</A> }.into_any(),
                    Some(a) => view! {
                        {n.title.clone()}
                        <small class="kb-of">{move || tx("article")}"："<A href=article_href(&a.id)>{a.title}</A></small>
                    }.into_any(),
                    None => view! { {n.title.clone()} }.into_any(),
                };
                view! { <tr data-testid="kb-mine-row">
                    <td data-label=move || tx("title")>{title}</td>
                    <td class="kb-nowrap" data-label=move || tx("kind")>{move || tx(kk)}</td>
                    <td class="kb-nowrap" data-label=move || tx("date")>{day(&n.created_at)}</td>
                    <td class="kb-nowrap" data-label=move || tx("status")><span class=format!("badge kb-st {badge}")>{move || tx(sk)}</span></td>
                    <td class="num" data-label=move || tx("points")>{n.reward_points.map(|p| p.to_string()).unwrap_or_else(|| "—".into())}</td>
                    <td data-label=move || tx("reason")>{n.reason.clone().filter(|r| !r.trim().is_empty()).unwrap_or_else(|| "—".into())}
                        {n.decided_by_name.map(|u| view! { <small class="muted kb-nowrap">" — "{u}</small> })}</td>
                </tr> }.into_any()
            })
            empty=move || view! { <p class="muted state empty">{move || tx("noMine")}</p> }.into_any()/>
    }
    .into_any()
}

#[component]
fn ProposeForm(
    kind: String,
    article: String,
    title: String,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let navigate = use_navigate();
    let kind = RwSignal::new(if KINDS.contains(&kind.as_str()) {
        kind
    } else {
        "IDEA".to_owned()
    });
    let article = RwSignal::new(article);
    let title = RwSignal::new(title);
    let body = RwSignal::new(String::new());
    let category = RwSignal::new(String::new());
    let scenario = RwSignal::new(String::new());
    let tags = RwSignal::new(String::new());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let sent = RwSignal::new(false);
    // An improvement starts from the article as it is.
    let source = LocalResource::new(move || {
        let id = article.get();
        async move {
            if id.is_empty() {
                return None;
            }
            call::<KnowledgeArticle>(knowledge_article::Variables { id })
                .await
                .ok()
                .and_then(|d| match d.node {
                    knowledge_article::KnowledgeArticleNode::Article(a) => Some(a),
                    _ => None,
                })
        }
    });
    Effect::new(move |_| {
        if let Some(Some(a)) = source.get()
            && body.get_untracked().is_empty()
        {
            title.set(a.title.clone());
            body.set(a.body.clone());
            category.set(code(&a.category));
            scenario.set(a.scenario.as_ref().map(code).unwrap_or_default());
            tags.set(a.tags.join(", "));
        }
    });
    let article_title = move || source.get().flatten().map(|a| a.title).unwrap_or_default();
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        use propose_contribution as p;
        let k = kind.get_untracked();
        let article_id = some(&article.get_untracked()).filter(|_| k == "EDIT");
        if k == "EDIT" && article_id.is_none() {
            error.set(Some(ApiError {
                code: "BAD_USER_INPUT".into(),
                message: tx("needArticle").to_owned(),
            }));
            return;
        }
        if k == "NEW_ARTICLE" && category.get_untracked().is_empty() {
            error.set(Some(ApiError {
                code: "BAD_USER_INPUT".into(),
                message: tx("needCategory").to_owned(),
            }));
            return;
        }
        let Some(kind_value) = enum_of::<p::ContributionKind>(&k) else {
            return;
        };
        let input = p::ProposeContributionInput {
            kind: kind_value,
            article_id,
            title: title.get_untracked().trim().to_owned(),
            body: body.get_untracked(),
            category: enum_of(&category.get_untracked()),
            scenario: enum_of(&scenario.get_untracked()),
            tags: split_tags(&tags.get_untracked()),
        };
        busy.set(true);
        error.set(None);
        sent.set(false);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match call::<ProposeContribution>(p::Variables { input }).await {
                Ok(_) => {
                    sent.set(true);
                    title.set(String::new());
                    body.set(String::new());
                    category.set(String::new());
                    scenario.set(String::new());
                    tags.set(String::new());
                    article.set(String::new());
                    kind.set("IDEA".to_owned());
                    reload.update(|n| *n += 1);
                    // The prefilled address has done its work: a reload starts empty.
                    navigate(
                        "/knowledge/contributions",
                        leptos_router::NavigateOptions {
                            replace: true,
                            scroll: false,
                            ..Default::default()
                        },
                    );
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form kb-propose-form" on:submit=send>
            <label>{move || tx("kind")}
                <select name="kind" prop:value=move || kind.get() on:change=move |ev| kind.set(event_target_value(&ev))>
                    {KINDS.into_iter().map(|k| {
                        let key = kind_key(k);
                        view! { <option value=k selected=move || kind.get_untracked() == k>{move || tx(key)}</option> }
                    }).collect_view()}
                </select>
            </label>
            {move || (kind.get() == "EDIT").then(|| if article.get().is_empty() {
                view! { <p class="warn-text">{move || tx("needArticle")}</p> }.into_any()
            } else {
                let href = article_href(&article.get());
                view! { <p class="kb-about">{move || tx("article")}"："<A href=href>{article_title}</A></p> }.into_any()
            })}
            <label>{move || tx("title")}
                <input type="text" name="title" required maxlength="200" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/>
            </label>
            <div class="kb-row">
                <label>{move || tx("category")}
                    <select name="category" prop:value=move || category.get() on:change=move |ev| category.set(event_target_value(&ev))>
                        <option value="">"—"</option>
                        {CATEGORIES.into_iter().map(|c| {
                            let key = category_key(c);
                            view! { <option value=c selected=move || category.get() == c>{move || tx(key)}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <label>{move || tx("scenario")}
                    <select name="scenario" prop:value=move || scenario.get() on:change=move |ev| scenario.set(event_target_value(&ev))>
                        <option value="">{move || tx("noScenario")}</option>
                        {SCENARIOS.into_iter().map(|s| {
                            let key = scenario_key(s);
                            view! { <option value=s selected=move || scenario.get() == s>{move || tx(key)}</option> }
                        }).collect_view()}
                    </select>
                </label>
            </div>
            <label>{move || tx("tags")}
                <input type="text" name="tags" placeholder=move || tx("tagsHint") prop:value=move || tags.get() on:input=move |ev| tags.set(event_target_value(&ev))/>
            </label>
            <label>{move || tx("body")}
                <textarea name="body" rows="12" required prop:value=move || body.get() on:input=move |ev| body.set(event_target_value(&ev))></textarea>
            </label>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
            {move || sent.get().then(|| view! { <p class="good" role="status" data-testid="kb-proposed">{move || tx("proposed")}</p> })}
            <div class="actions">
                <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("send")}</button>
            </div>
        </form>
    }
}

/// Contributions of the people the viewer answers for, by status (those waiting first),
/// each adopted or declined with a reason and a reward.
#[component]
fn Inbox(reload: RwSignal<u32>) -> impl IntoView {
    let status = RwSignal::new("PROPOSED".to_owned());
    let paging = Paging::new(20);
    let data = LocalResource::new(move || {
        reload.track();
        use contribution_inbox as q;
        call::<ContributionInbox>(q::Variables {
            filter: Some(q::ContributionFilter {
                status: enum_of(&status.get()),
                mine: false,
            }),
            first: Some(paging.size),
            after: paging.after.get(),
        })
    });
    let me = viewer_id();
    view! {
        <div class="page-head kb-inbox-head">
            <h2>{move || tx("inbox")}</h2>
            <select name="status" class="filter" aria-label=move || tx("status") prop:value=move || status.get()
                on:change=move |ev| { status.set(event_target_value(&ev)); paging.reset(); }>
                {["PROPOSED", "ADOPTED", "DECLINED"].into_iter().map(|s| {
                    let key = status_key(s);
                    view! { <option value=s selected=move || status.get_untracked() == s>{move || tx(key)}</option> }
                }).collect_view()}
                <option value="">{move || tx("all")}</option>
            </select>
        </div>
        {move || match data.get() {
            None => view! { <Loading/> }.into_any(),
            Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
            Some(Ok(d)) => {
                let c = d.contributions;
                if c.edges.is_empty() {
                    return view! { <p class="muted state empty">{move || tx("noInbox")}</p> }.into_any();
                }
                let rows = c.edges.len();
                let me = me.clone();
                view! {
                    <div class="kb-inbox">
                        {c.edges.into_iter().map(|e| {
                            let own = e.node.author.as_ref().is_some_and(|a| a.id == me);
                            view! { <InboxItem n=e.node own=own reload=reload/> }
                        }).collect_view()}
                    </div>
                    <Pager paging=paging total=c.total_count rows=rows has_next=c.page_info.has_next_page end_cursor=c.page_info.end_cursor/>
                }.into_any()
            }
        }}
    }
}

#[component]
fn InboxItem(
    n: contribution_inbox::ContributionInboxContributionsEdgesNode,
    own: bool,
    reload: RwSignal<u32>,
) -> impl IntoView {
    let kind = code(&n.kind);
    let status = code(&n.status);
    let (kk, sk) = (kind_key(&kind), status_key(&status));
    let waiting = status == "PROPOSED" && !own;
    let reason = RwSignal::new(String::new());
    let points = RwSignal::new(default_points(&kind).to_string());
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let show_diff = RwSignal::new(false);
    let id = StoredValue::new(n.id.clone());
    let version = n.version;
    let decide = move |adopt: bool| {
        let why = reason.get_untracked().trim().to_owned();
        if why.is_empty() {
            error.set(Some(ApiError {
                code: "BAD_USER_INPUT".into(),
                message: tx("needReason").to_owned(),
            }));
            return;
        }
        let reward = if adopt {
            points.get_untracked().trim().parse::<i64>().ok()
        } else {
            None
        };
        busy.set(true);
        error.set(None);
        let id = id.get_value();
        leptos::task::spawn_local(async move {
            use decide_contribution as d;
            match call::<DecideContribution>(d::Variables {
                input: d::DecideContributionInput {
                    id,
                    version,
                    adopt,
                    reason: why,
                    reward_points: reward,
                },
            })
            .await
            {
                Ok(_) => reload.update(|n| *n += 1),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    let is_edit = kind == "EDIT";
    let badge = status.to_lowercase();
    let category = n.category.as_ref().map(code);
    let scenario = n.scenario.as_ref().map(code);
    view! {
        <article class="card kb-item" data-testid="kb-inbox-item">
            <header>
                <span class="badge kb-kind">{move || tx(kk)}</span>
                <strong>{n.title.clone()}</strong>
                <span class=format!("badge kb-st {badge}")>{move || tx(sk)}</span>
            </header>
            <p class="muted small">{move || tx("by")}" "{n.author_name.unwrap_or_default()}" · "{local_time(&n.created_at)}
                {category.map(|c| { let k = category_key(&c); view! { " · "{move || tx(k)} } })}
                {scenario.map(|s| { let k = scenario_key(&s); view! { " · "{move || tx(k)} } })}
                {(!n.tags.is_empty()).then(|| format!(" · #{}", n.tags.join(" #")))}
            </p>
            {n.article.map(|a| view! { <p class="kb-about">{move || tx("article")}"："<A href=article_href(&a.id)>{a.title}</A></p> })}
            {if is_edit {
                view! {
                    <button type="button" class="btn small-btn kb-diff-toggle" on:click=move |_| show_diff.update(|s| *s = !*s)>
                        {move || if show_diff.get() { tx("diffHide") } else { tx("diffShow") }}
                    </button>
                    {move || show_diff.get().then(|| view! { <ContributionChanges id=id.get_value()/> })}
                }.into_any()
            } else {
                view! { <p class="pre kb-text">{n.body.clone()}</p> }.into_any()
            }}
            {if waiting {
                view! {
                    <div class="kb-decide">
                        <label>{move || tx("reason")}
                            <input type="text" name="reason" required maxlength="500" prop:value=move || reason.get()
                                on:input=move |ev| { reason.set(event_target_value(&ev)); error.set(None); }/>
                        </label>
                        <label class="kb-points">{move || tx("reward")}
                            <input type="number" name="points" min="0" max="1000" prop:value=move || points.get() on:input=move |ev| points.set(event_target_value(&ev))/>
                        </label>
                        <div class="actions">
                            <button type="button" class="btn primary kb-adopt" disabled=move || busy.get() on:click=move |_| decide(true)>{move || tx("adopt")}</button>
                            <button type="button" class="btn kb-decline" disabled=move || busy.get() on:click=move |_| decide(false)>{move || tx("decline")}</button>
                        </div>
                        {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}</p> })}
                    </div>
                }.into_any()
            } else {
                view! {
                    <p class="small kb-decided">
                        {n.decided_by_name.map(|u| view! { {move || tx("decidedBy")}" "{u}" · " })}
                        {n.decided_at.map(|t| local_time(&t))}
                        {n.reason.map(|r| view! { " · "{move || tx("reason")}"："{r} })}
                        {n.reward_points.map(|p| view! { " · "{move || tx("points")}" "<b>{p}</b> })}
                    </p>
                }.into_any()
            }}
        </article>
    }
}

/// The changes an improvement proposes, against the article as it is now.
#[component]
fn ContributionChanges(id: String) -> impl IntoView {
    let data = LocalResource::new(move || {
        call::<ContributionDiff>(contribution_diff::Variables { id: id.clone() })
    });
    move || match data.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(e)) => {
            view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any()
        }
        Some(Ok(d)) => match d.node {
            contribution_diff::ContributionDiffNode::Contribution(c) => {
                let lines = c
                    .diff
                    .into_iter()
                    .map(|l| (code(&l.kind), l.text))
                    .collect();
                view! { <DiffLines lines=lines/> }.into_any()
            }
            _ => ().into_any(),
        },
    }
}

// ---------------------------------------------------------------------------------------
// Use and results

/// The share of a quarter gone by `today` (year, month, day): 0 before it, 1 after it.
fn quarter_elapsed(year: i32, quarter: u32, today: (i32, u32, u32)) -> f64 {
    let start_month = (quarter.clamp(1, 4) - 1) * 3 + 1;
    let days_in = |y: i32, m: u32| -> u32 {
        match m {
            2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        }
    };
    let total: u32 = (start_month..start_month + 3)
        .map(|m| days_in(year, m))
        .sum();
    let (ty, tm, td) = today;
    if (ty, tm) < (year, start_month) {
        return 0.0;
    }
    if (ty, tm) > (year, start_month + 2) {
        return 1.0;
    }
    let gone: u32 = (start_month..tm).map(|m| days_in(year, m)).sum::<u32>() + td;
    f64::from(gone) / f64::from(total)
}

fn percent(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), |v| format!("{:.1}%", v * 100.0))
}

/// Per region, how much the knowledge base is read beside the win rate and attainment of
/// a quarter: a scatter (reads per rep across, win rate up, colour by pace) and a table.
#[component]
fn UsagePage() -> impl IntoView {
    let (y, m) = crate::format::this_month();
    let q_now = (m - 1) / 3 + 1;
    let query = use_query_map();
    let get = |k: &str| query.read_untracked().get(k).unwrap_or_default();
    let year = RwSignal::new(some(&get("year")).unwrap_or_else(|| y.to_string()));
    let quarter = RwSignal::new(some(&get("quarter")).unwrap_or_else(|| q_now.to_string()));
    url_state(
        move || vec![("year", year.get()), ("quarter", quarter.get())],
        move |q| {
            for (k, s) in [("year", year), ("quarter", quarter)] {
                if let Some(v) = q.get(k).filter(|v| !v.is_empty())
                    && v != s.get_untracked()
                {
                    s.set(v);
                }
            }
        },
    );
    let data = LocalResource::new(move || {
        use knowledge_usage as u;
        let yv: i64 = year.get().parse().unwrap_or(i64::from(y));
        let qv: i64 = quarter
            .get()
            .parse()
            .unwrap_or(i64::from(q_now))
            .clamp(1, 4);
        call::<KnowledgeUsage>(u::Variables {
            period: u::PeriodInput {
                kind: u::PeriodKind::QUARTER,
                year: yv,
                index: Some(qv),
            },
        })
    });
    let narrow = narrow_screen();
    view! {
        <section class="page kb kb-usage">
            <div class="page-head"><h1>{move || tx("usageTitle")}</h1></div>
            <Tabs/>
            <div class="toolbar">
                <label class="inline">{move || tx("year")}
                    <select name="year" prop:value=move || year.get() on:change=move |ev| year.set(event_target_value(&ev))>
                        {(0..3).map(|k| { let v = (y - k).to_string(); let (s, text) = (v.clone(), v.clone()); view! { <option value=v selected=move || year.get_untracked() == s>{text}</option> } }).collect_view()}
                    </select>
                </label>
                <label class="inline">{move || tx("quarter")}
                    <select name="quarter" prop:value=move || quarter.get() on:change=move |ev| quarter.set(event_target_value(&ev))>
                        {(1..=4).map(|i: u32| { let v = i.to_string(); let s = v.clone(); view! { <option value=v selected=move || quarter.get_untracked() == s>{format!("Q{i}")}</option> } }).collect_view()}
                    </select>
                </label>
            </div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) if d.knowledge_usage.is_empty() => view! {
                    <div class="state empty"><div class="empty-icon">"∅"</div><strong>{move || tx("noUsage")}</strong></div>
                }.into_any(),
                Some(Ok(d)) => {
                    let rows = d.knowledge_usage;
                    let today = {
                        let now = js_sys::Date::new_0();
                        (now.get_full_year() as i32, now.get_month() + 1, now.get_date())
                    };
                    let elapsed = quarter_elapsed(
                        year.get_untracked().parse().unwrap_or(y),
                        quarter.get_untracked().parse().unwrap_or(q_now),
                        today,
                    );
                    let charted: Vec<_> = rows.iter().filter(|r| r.win_rate.is_some()).cloned().collect();
                    let dots: Vec<Dot> = charted.iter().map(|r| Dot {
                        label: r.region.name.clone(),
                        x: r.views_per_rep,
                        y: r.win_rate.unwrap_or(0.0),
                        tone: tone(pace_of(r.attainment, elapsed)),
                        title: format!("{}: {:.1} · {}", r.region.name, r.views_per_rep, percent(r.win_rate)),
                    }).collect();
                    let readout = Callback::new(move |i: usize| charted.get(i).map(|r| format!(
                        "{} · {} {:.1} · {} {} · {} {}",
                        r.region.name, tx("viewsPerRep"), r.views_per_rep, tx("winRate"), percent(r.win_rate),
                        tx("attainment"), percent(r.attainment),
                    )));
                    view! {
                        {if dots.is_empty() {
                            // No region has a win rate: nothing to place on the chart.
                            view! {
                                <div class="card state empty kb-no-dots">
                                    <div class="empty-icon">"∅"</div>
                                    <strong>{move || tx("noDots")}</strong>
                                </div>
                            }.into_any()
                        } else {
                            view! {
                                <figure class="card chart kb-chart">
                                    <p class="muted small">{move || tx("chartHint")}</p>
                                    <ScatterChart dots=dots narrow=narrow readout=readout
                                        x_axis=crate::charts::axis_number y_axis=|v: f64| format!("{}%", crate::charts::axis_number(v * 100.0))
                                        x_title=Signal::derive(move || tx("viewsPerRep").to_owned())
                                        y_title=Signal::derive(move || tx("winRate").to_owned())
                                        label=Signal::derive(move || tx("chartLabel").to_owned())/>
                                    <PaceLegend/>
                                </figure>
                            }.into_any()
                        }}
                        <table class="list kb-usage-table">
                            <thead><tr>
                                <th>{move || tx("region")}</th>
                                <th class="num">{move || tx("reps")}</th>
                                <th class="num">{move || tx("activeReaders")}</th>
                                <th class="num">{move || tx("views")}</th>
                                <th class="num">{move || tx("viewsPerRep")}</th>
                                <th class="num">{move || tx("helpfulVotes")}</th>
                                <th class="num">{move || tx("winRate")}</th>
                                <th class="num">{move || tx("attainment")}</th>
                            </tr></thead>
                            <tbody>{rows.into_iter().map(|r| {
                                let t = tone(pace_of(r.attainment, elapsed));
                                view! { <tr>
                                    <td data-label=move || tx("region")>{r.region.name.clone()}</td>
                                    <td class="num" data-label=move || tx("reps")>{r.reps}</td>
                                    <td class="num" data-label=move || tx("activeReaders")>{r.active_readers}</td>
                                    <td class="num" data-label=move || tx("views")>{crate::format::count(r.views)}</td>
                                    <td class="num" data-label=move || tx("viewsPerRep")>{format!("{:.1}", r.views_per_rep)}</td>
                                    <td class="num" data-label=move || tx("helpfulVotes")>{r.helpful_votes}</td>
                                    <td class="num" data-label=move || tx("winRate")>{percent(r.win_rate)}</td>
                                    <td class=format!("num {t}") data-label=move || tx("attainment")>{percent(r.attainment)}</td>
                                </tr> }
                            }).collect_view()}</tbody>
                        </table>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_sorted_by_unique_keys() {
        for pair in TEXTS.windows(2) {
            if let [a, b] = pair {
                assert!(a.0 < b.0, "{} must come before {}", a.0, b.0);
            }
        }
    }

    #[test]
    fn every_text_asked_for_exists() {
        let has = |key: &str| TEXTS.binary_search_by(|(k, _, _)| k.cmp(&key)).is_ok();
        let src = include_str!("knowledge.rs");
        for part in src.split("tx(\"").skip(1) {
            if let Some(key) = part.split('"').next() {
                assert!(has(key), "no text {key}");
            }
        }
        for c in CATEGORIES {
            assert!(has(category_key(c)), "no text for {c}");
        }
        for s in SCENARIOS {
            assert!(has(scenario_key(s)), "no text for {s}");
        }
        for k in KINDS {
            assert!(has(kind_key(k)), "no text for {k}");
        }
        for s in ["PROPOSED", "ADOPTED", "DECLINED", "?"] {
            assert!(has(status_key(s)), "no text for {s}");
        }
        assert!(has(category_key("?")) && has(scenario_key("?")) && has(kind_key("?")));
    }

    #[test]
    fn tags_split_on_either_comma_and_drop_repeats() {
        assert_eq!(
            split_tags("价格, 大客户，价格、 折扣;;"),
            vec!["价格", "大客户", "折扣"]
        );
        assert!(split_tags(" , ").is_empty());
    }

    #[test]
    fn long_unchanged_runs_fold_around_the_changes() {
        // 10 lines, line 6 changed: 4..=8 shown, 0..4 folded, 9 shown (one line, no fold).
        let mut changed = vec![false; 10];
        changed[6] = true;
        assert_eq!(diff_runs(&changed, 2), vec![(0, 4, true), (4, 10, false)]);
        // Two lines before a change do not fold.
        let mut changed = vec![false; 5];
        changed[4] = true;
        assert_eq!(diff_runs(&changed, 2), vec![(0, 5, false)]);
        // Changes far apart: the run between them folds.
        let mut changed = vec![false; 12];
        changed[0] = true;
        changed[11] = true;
        assert_eq!(
            diff_runs(&changed, 2),
            vec![(0, 3, false), (3, 9, true), (9, 12, false)]
        );
        assert!(diff_runs(&[], 2).is_empty());
    }

    #[test]
    fn rewards_follow_the_kind() {
        assert_eq!(default_points("NEW_ARTICLE"), 50);
        assert_eq!(default_points("EDIT"), 20);
        assert_eq!(default_points("IDEA"), 10);
    }

    #[test]
    fn a_quarter_is_gone_by_its_days() {
        // 2026 Q4: 92 days; on 15 November 31 + 15 of them.
        assert_eq!(quarter_elapsed(2026, 4, (2026, 11, 15)), 46.0 / 92.0);
        assert_eq!(quarter_elapsed(2026, 3, (2026, 11, 15)), 1.0);
        assert_eq!(quarter_elapsed(2027, 1, (2026, 11, 15)), 0.0);
        // 2024 Q1 in a leap year: 91 days, all gone on 31 March.
        assert_eq!(quarter_elapsed(2024, 1, (2024, 3, 31)), 1.0);
        assert_eq!(quarter_elapsed(2024, 1, (2024, 1, 1)), 1.0 / 91.0);
    }

    #[test]
    fn enums_round_trip_through_their_names() {
        use knowledge_list::ArticleCategory;
        let c: Option<ArticleCategory> = enum_of("CASE");
        assert_eq!(c.as_ref().map(code).as_deref(), Some("CASE"));
        assert!(enum_of::<ArticleCategory>("").is_none());
    }
}
