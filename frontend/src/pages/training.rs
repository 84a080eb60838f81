//! Training (培训): the course catalogue (format filter in the URL, "more" for the next
//! page, each course's effect in a line; a director's new-course form), a course (its
//! description, linked knowledge-base articles, sessions, and its effect as paired bars of
//! win rate before and after for attendees and the others, with the numbers in words),
//! a session (its attendance and tests; for the region's supervisor or a director an
//! editable table saved with the session's version), the form to schedule a session, and
//! the caller's own training. Behind the shell's catch-all route (`/training…`), in the
//! daily-work module; its texts are its own table.

use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_query_map};

use crate::api::{
    ApiError, MyTrainingList, RecordTrainingAttendance, RegionOptions, SaveCourse,
    ScheduleTrainingSession, TrainingArticleSearch, TrainingCourse, TrainingCourses,
    TrainingInvitees, TrainingSessionDetail, call, my_training_list, record_training_attendance,
    region_options, save_course, schedule_training_session, training_article_search,
    training_course, training_courses, training_invitees, training_session_detail,
};
use crate::charts::{Bar, BarChart, narrow_screen};
use crate::components::{ErrorBox, Loading, url_state};
use crate::i18n::{Lang, lang, pick, t_of};
use crate::{MeResource, PageTitle, Role, viewer_role};

/// This module's texts: key, Chinese, English; sorted by key (a unit test checks).
static TEXTS: &[(&str, &str, &str)] = &[
    ("absent", "未出席", "Absent"),
    ("active", "启用", "Active"),
    ("add", "添加", "Add"),
    ("after", "培训后", "After"),
    ("allFormats", "全部形式", "All formats"),
    ("articles", "关联文章", "Linked articles"),
    (
        "articlesHint",
        "输入关键词搜索知识库，点“添加”关联到课程",
        "Search the knowledge base and add articles to the course",
    ),
    ("attendance", "出勤与测试", "Attendance and tests"),
    ("attended", "出席", "Attended"),
    ("attendees", "参训者", "Attendees"),
    ("before", "培训前", "Before"),
    (
        "chartHint",
        "每组左边是培训前三个月的赢单率，右边是培训后三个月的（培训当月不计）。点一下柱子看数字。",
        "Each pair: the win rate over the three months before a session, then over the three after (its own month in neither). Tap a bar for its figure.",
    ),
    ("companyWide", "全公司", "Company-wide"),
    (
        "conflict",
        "这场培训的记录在你打开之后已被别人修改。请重新载入查看最新记录，再填写你的修改。",
        "Someone else saved this session's record after you opened it. Reload to see theirs, then enter your changes again.",
    ),
    (
        "conflictCourse",
        "这门课程在你打开之后已被别人修改。请重新载入后再保存。",
        "Someone else changed this course after you opened it. Reload, then save again.",
    ),
    ("conflictTitle", "未保存：", "Not saved:"),
    ("course", "课程", "Course"),
    ("courses", "培训课程", "Training courses"),
    ("coursesTotal", "门课程", "courses"),
    ("date", "日期", "Date"),
    ("description", "课程介绍", "Description"),
    ("edit", "编辑课程", "Edit course"),
    ("effect", "培训效果", "Effect"),
    ("effectNone", "尚无可衡量的效果", "Nothing measurable yet"),
    (
        "effectNoneHint",
        "培训后三个月有了赢单数据、或有学员完成前后测试后，这里会显示效果。",
        "The effect shows once the three months after a session have closed deals, or attendees have taken both tests.",
    ),
    ("fmtMentoring", "导师带教", "Mentoring"),
    ("fmtOnline", "线上课程", "Online"),
    ("fmtWorkshop", "工作坊", "Workshop"),
    ("format", "形式", "Format"),
    ("gain", "提升", "Gain"),
    ("inactive", "已停用", "Inactive"),
    ("invited", "受邀", "Invited"),
    ("invitees", "受邀人员", "Invitees"),
    ("inviteesNone", "没有可邀请的销售代表", "No reps to invite"),
    ("location", "地点", "Location"),
    ("meanPost", "平均培训后成绩", "Mean after-test"),
    ("mine", "我的培训", "My training"),
    (
        "mineEmpty",
        "你还没有受邀参加的培训",
        "You have not been invited to any training yet",
    ),
    ("more", "加载更多", "More"),
    ("net", "净效果", "Net effect"),
    ("new", "新建课程", "New course"),
    ("noAccount", "无账号", "No account"),
    ("noArticles", "未关联文章", "No linked articles"),
    ("noCourses", "没有符合条件的课程", "No courses match"),
    ("noSessions", "还没有培训场次", "No sessions yet"),
    (
        "nobody",
        "没有你能查看的出勤记录",
        "No attendance you may see",
    ),
    ("notFound", "找不到这个页面", "There is no such page"),
    ("others", "未参训者", "Others"),
    ("pointsUnit", "个百分点", "points"),
    ("post", "培训后成绩", "After test"),
    (
        "postAbsent",
        "未出席不能有培训后成绩",
        "No after-test without attending",
    ),
    ("pre", "培训前成绩", "Before test"),
    ("record", "保存出勤与成绩", "Save attendance and scores"),
    ("region", "区域", "Region"),
    ("reload", "重新载入", "Reload"),
    ("remove", "移除", "Remove"),
    ("save", "保存", "Save"),
    ("saved", "已保存", "Saved"),
    ("saving", "保存中…", "Saving…"),
    ("schedule", "安排培训场次", "Schedule a session"),
    ("scheduleDo", "安排并邀请", "Schedule and invite"),
    ("scoreBad", "成绩须在 0–100 之间", "Scores are 0–100"),
    ("scoreGain", "测试成绩提升", "Test score gain"),
    ("scoreUnit", "分", "points"),
    ("search", "搜索文章", "Search articles"),
    ("selectAll", "全选", "All"),
    ("selectNone", "全不选", "None"),
    ("session", "培训场次", "Training session"),
    ("sessions", "培训场次", "Sessions"),
    ("tested", "人次完成前后测试", "tested before and after"),
    ("title", "课程名称", "Title"),
    ("topic", "主题", "Topic"),
    ("trainer", "讲师", "Trainer"),
    ("who", "人员", "Person"),
    ("winRate", "赢单率", "Win rate"),
    ("window", "效果比较区间", "Effect read over"),
    ("yourStatus", "我的出勤", "Me"),
];

fn tx(key: &'static str) -> &'static str {
    t_of(TEXTS, key)
}

/// The course formats, in the order they are offered.
const FORMATS: [&str; 3] = ["WORKSHOP", "ONLINE", "MENTORING"];
/// Courses per request; "more" asks for the next as many.
const PAGE: i64 = 20;

fn format_key(f: &str) -> &'static str {
    match f {
        "ONLINE" => "fmtOnline",
        "MENTORING" => "fmtMentoring",
        _ => "fmtWorkshop",
    }
}

/// A generated enum's schema name (`WORKSHOP`), through its serde form.
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

fn english() -> bool {
    lang().get() == Lang::En
}

fn company() -> bool {
    viewer_role().company_wide()
}

/// The signed-in user's id and regions (a supervisor's).
fn me() -> (String, Vec<(String, String)>) {
    use_context::<MeResource>()
        .and_then(|m| m.get_untracked())
        .and_then(Result::ok)
        .flatten()
        .map(|d| {
            (
                d.me.id,
                d.me.regions.into_iter().map(|r| (r.id, r.name)).collect(),
            )
        })
        .unwrap_or_default()
}

/// Whether the viewer schedules sessions at all (a director, admin or supervisor).
fn schedules() -> bool {
    company() || viewer_role() == Role::SUPERVISOR
}

/// Whether the viewer runs a session of `region` (none: the company's): a director or
/// admin any, a supervisor their own regions'. The server decides; this only hides what
/// would be refused.
fn runs(region: Option<&str>) -> bool {
    company()
        || (viewer_role() == Role::SUPERVISOR
            && region.is_some_and(|r| me().1.iter().any(|(id, _)| id == r)))
}

fn article_href(id: &str) -> String {
    format!(
        "/knowledge/article?id={}",
        String::from(js_sys::encode_uri_component(id))
    )
}

// ---------------------------------------------------------------------------------------
// Numbers in words

/// A number to a tenth without a trailing `.0`: `12.5`, `20`.
fn tenth(v: f64) -> String {
    let s = format!("{:.1}", v.abs());
    let s = s.strip_suffix(".0").unwrap_or(&s).to_owned();
    if v < 0.0 && s != "0" {
        format!("-{s}")
    } else {
        s
    }
}

/// A rate as a percentage: `30%`, `42.5%`; `—` without one.
fn pct(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_owned(), |r| format!("{}%", tenth(r * 100.0)))
}

/// A signed number to a tenth with a true minus: `+20`, `−4.5`.
fn signed(v: f64) -> String {
    let t = tenth(v.abs());
    if v < 0.0 && t != "0" {
        format!("−{t}")
    } else {
        format!("+{t}")
    }
}

/// A change of a rate in percentage points, signed: 0.2 → `+20`.
fn points(c: f64) -> String {
    signed(c * 100.0)
}

/// A score to a tenth, `—` without one.
fn score(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_owned(), tenth)
}

/// What a course's effect measured, as the API gives it.
#[derive(Clone, Copy, Default, Debug, PartialEq)]
struct Impact {
    sessions: i64,
    /// Sessions whose three months after have ended: the ones the win rates read.
    measured: i64,
    attendees: i64,
    tested: i64,
    gain: Option<f64>,
    a_before: Option<f64>,
    a_after: Option<f64>,
    a_change: Option<f64>,
    o_before: Option<f64>,
    o_after: Option<f64>,
    o_change: Option<f64>,
    net: Option<f64>,
}

impl Impact {
    fn has_rates(&self) -> bool {
        [self.a_before, self.a_after, self.o_before, self.o_after]
            .iter()
            .any(Option::is_some)
    }
    fn measurable(&self) -> bool {
        self.has_rates() || self.gain.is_some()
    }
}

/// `30% → 50%`
fn pair(before: Option<f64>, after: Option<f64>) -> String {
    format!("{} → {}", pct(before), pct(after))
}

/// The effect in words: the win rates of attendees and others with their changes and the
/// net effect; the test score gain. One line each, left out when nothing backs it.
fn effect_words(e: &Impact, en: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if e.has_rates() {
        let (open, close) = if en { (" (", ")") } else { ("（", "）") };
        let unit = if en { " points" } else { " 个百分点" };
        let a_change = e
            .a_change
            .map(|c| format!("{open}{}{unit}{close}", points(c)))
            .unwrap_or_default();
        let o_change = e
            .o_change
            .map(|c| format!("{open}{}{close}", points(c)))
            .unwrap_or_default();
        let mut s = if en {
            format!(
                "Attendees' win rate {}{a_change}, others {}{o_change}",
                pair(e.a_before, e.a_after),
                pair(e.o_before, e.o_after)
            )
        } else {
            format!(
                "参训者赢单率 {}{a_change}，未参训者 {}{o_change}",
                pair(e.a_before, e.a_after),
                pair(e.o_before, e.o_after)
            )
        };
        if let Some(n) = e.net {
            s.push_str(&if en {
                format!(", net effect {}{unit}", points(n))
            } else {
                format!("，净效果 {}{unit}", points(n))
            });
        }
        s.push_str(if en { "." } else { "。" });
        lines.push(s);
    }
    let running = e.sessions - e.measured;
    if running > 0 {
        lines.push(match (en, e.measured) {
            (true, 0) => format!(
                "No session's three months after have ended yet ({running} running): the win rates come later."
            ),
            (true, m) => format!(
                "Win rates from the {m} of {} sessions whose three months after have ended; {running} still running.",
                e.sessions
            ),
            (false, 0) => format!("尚无场次满培训后三个月（{running} 场进行中），赢单率稍后才有。"),
            (false, m) => format!(
                "赢单率只计已满培训后三个月的 {m} 场（共 {} 场），{running} 场尚在观察期。",
                e.sessions
            ),
        });
    }
    if let Some(g) = e.gain {
        lines.push(if en {
            format!(
                "Skill test: {} points after against before on average ({} attendances tested both times).",
                signed(g),
                e.tested
            )
        } else {
            format!(
                "技能测试：培训后比培训前平均 {} 分（{} 人次完成前后测试）。",
                signed(g),
                e.tested
            )
        });
    }
    lines
}

/// A course's effect in a few words for the catalogue.
fn effect_short(e: &Impact, en: bool) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(n) = e.net {
        parts.push(if en {
            format!("net {} pts", points(n))
        } else {
            format!("净效果 {} 个百分点", points(n))
        });
    } else if let Some(c) = e.a_change {
        parts.push(if en {
            format!("attendees {} pts", points(c))
        } else {
            format!("参训者 {} 个百分点", points(c))
        });
    }
    if let Some(g) = e.gain {
        parts.push(if en {
            format!("tests {}", signed(g))
        } else {
            format!("成绩 {} 分", signed(g))
        });
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

// ---------------------------------------------------------------------------------------
// Scores as typed

/// A score as typed: empty is none; otherwise a number from 0 to 100 (`Err` if not).
fn parse_score(s: &str) -> Result<Option<f64>, ()> {
    let t = s.trim().replace(',', ".");
    if t.is_empty() {
        return Ok(None);
    }
    match t.parse::<f64>() {
        Ok(v) if (0.0..=100.0).contains(&v) => Ok(Some(v)),
        _ => Err(()),
    }
}

/// What is wrong with one attendance row, as a text key: a score outside 0–100, or an
/// after-test without attending (the server refuses both).
fn row_problem(attended: bool, pre: &str, post: &str) -> Option<&'static str> {
    match (parse_score(pre), parse_score(post)) {
        (Err(()), _) | (_, Err(())) => Some("scoreBad"),
        (_, Ok(Some(_))) if !attended => Some("postAbsent"),
        _ => None,
    }
}

fn score_text(v: Option<f64>) -> String {
    v.map(tenth).unwrap_or_default()
}

/// "参训 13 人次" / "13 attendances".
fn attendances(n: i64, en: bool) -> String {
    if en {
        format!("{n} attendances")
    } else {
        format!("参训 {n} 人次")
    }
}

/// The year and month of a `YYYY-MM-DD` date.
fn month_of(d: &str) -> Option<(i32, u32)> {
    let y = d.get(0..4)?.parse().ok()?;
    let m = d.get(5..7)?.parse().ok().filter(|m| (1..=12).contains(m))?;
    Some((y, m))
}

fn month_step((y, m): (i32, u32), forward: bool) -> (i32, u32) {
    match (forward, m) {
        (true, 12) => (y + 1, 1),
        (true, m) => (y, m + 1),
        (false, 1) => (y - 1, 12),
        (false, m) => (y, m - 1),
    }
}

/// The months a session's effect is read over, in words: the API gives the first day of
/// the window before, the session's day and the first day after the window after.
fn window_words(before_from: &str, held_on: &str, after_to: &str, en: bool) -> String {
    let (Some(b0), Some(held), Some(end)) =
        (month_of(before_from), month_of(held_on), month_of(after_to))
    else {
        return format!("{before_from} – {after_to}");
    };
    let (b1, a0, a1) = (
        month_step(held, false),
        month_step(held, true),
        month_step(end, false),
    );
    let ym = |(y, m): (i32, u32)| format!("{y}-{m:02}");
    if en {
        format!(
            "before {} to {}, after {} to {} (the session's month in neither)",
            ym(b0),
            ym(b1),
            ym(a0),
            ym(a1)
        )
    } else {
        format!(
            "培训前 {} 至 {}，培训后 {} 至 {}（培训当月不计）",
            ym(b0),
            ym(b1),
            ym(a0),
            ym(a1)
        )
    }
}

// ---------------------------------------------------------------------------------------
// Pages

/// The training pages: `[]` the catalogue, `["course", id]` a course, `["session", id]` a
/// session, `["mine"]` the caller's own training.
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
            [] => view! { <CoursesPage/> }.into_any(),
            ["course", id] => {
                let id = (*id).to_owned();
                view! { <CoursePage id=id/> }.into_any()
            }
            ["session", id] => {
                let id = (*id).to_owned();
                view! { <SessionPage id=id/> }.into_any()
            }
            ["mine"] => view! { <MinePage/> }.into_any(),
            _ => view! { <NotFound/> }.into_any(),
        }
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <section class="page training">
            <div class="state empty">
                <div class="empty-icon">"∅"</div>
                <strong>{move || tx("notFound")}</strong>
                <A href="/training" attr:class="btn">{move || tx("courses")}</A>
            </div>
        </section>
    }
}

#[component]
fn Tabs() -> impl IntoView {
    view! {
        <nav class="tabs tr-tabs">
            <A href="/training" exact=true>{move || tx("courses")}</A>
            <A href="/training/mine">{move || tx("mine")}</A>
        </nav>
    }
}

#[component]
fn FormatBadge(format: String) -> impl IntoView {
    let k = format_key(&format);
    view! { <span class=format!("badge tr-fmt {}", format.to_lowercase())>{move || tx(k)}</span> }
}

// ---------------------------------------------------------------------------------------
// The catalogue

#[derive(Clone)]
struct CourseRow {
    id: String,
    title: String,
    topic: String,
    format: String,
    active: bool,
    effect: Impact,
}

/// The courses shown: pages appended by "more"; an answer for an older filter is dropped.
#[derive(Clone, Copy)]
struct CourseList {
    rows: RwSignal<Vec<CourseRow>>,
    total: RwSignal<i64>,
    next: RwSignal<Option<String>>,
    loading: RwSignal<bool>,
    answered: RwSignal<bool>,
    error: RwSignal<Option<ApiError>>,
    generation: StoredValue<u32>,
    /// Whether inactive courses are listed too (a director's and admin's list).
    all: bool,
}

impl CourseList {
    fn new() -> Self {
        CourseList {
            all: company(),
            rows: RwSignal::new(Vec::new()),
            total: RwSignal::new(0),
            next: RwSignal::new(None),
            loading: RwSignal::new(false),
            answered: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// The first page of `format` (replacing what is shown once it arrives), or the page
    /// after `after` (appended).
    fn load(self, format: String, after: Option<String>) {
        let more = after.is_some();
        self.generation.update_value(|g| *g += 1);
        let generation = self.generation.get_value();
        self.loading.set(true);
        self.error.set(None);
        leptos::task::spawn_local(async move {
            use training_courses as q;
            let answer = call::<TrainingCourses>(q::Variables {
                format: enum_of(&format),
                include_inactive: self.all,
                first: Some(PAGE),
                after,
            })
            .await;
            if self.generation.try_get_value() != Some(generation) {
                return;
            }
            match answer {
                Ok(d) => {
                    let c = d.courses;
                    let rows: Vec<CourseRow> = c
                        .edges
                        .into_iter()
                        .map(|e| {
                            let n = e.node;
                            let f = n.effect;
                            CourseRow {
                                id: n.id,
                                title: n.title,
                                topic: n.topic,
                                format: code(&n.format),
                                active: n.active,
                                effect: Impact {
                                    sessions: f.sessions,
                                    measured: f.measured_sessions,
                                    attendees: f.attendees,
                                    tested: f.tested,
                                    gain: f.score_gain,
                                    a_change: f.attendees_change,
                                    o_change: f.others_change,
                                    net: f.net_effect,
                                    ..Impact::default()
                                },
                            }
                        })
                        .collect();
                    if more {
                        self.rows.update(|r| r.extend(rows));
                    } else {
                        self.rows.set(rows);
                    }
                    self.total.set(c.total_count);
                    self.next
                        .set(c.page_info.end_cursor.filter(|_| c.page_info.has_next_page));
                    self.answered.set(true);
                }
                Err(e) => self.error.set(Some(e)),
            }
            self.loading.set(false);
        });
    }
}

/// The course catalogue: a format filter (in the URL), the courses with their effect in a
/// line, "more"; a director's form for a new course.
#[component]
fn CoursesPage() -> impl IntoView {
    let query = use_query_map();
    let format = RwSignal::new(query.read_untracked().get("format").unwrap_or_default());
    url_state(
        move || vec![("format", format.get())],
        move |q| {
            let v = q.get("format").unwrap_or_default();
            if v != format.get_untracked() {
                format.set(v);
            }
        },
    );
    let list = CourseList::new();
    Effect::new(move |_| {
        let f = format.get();
        untrack(|| list.load(f, None));
    });
    // A new course opens at once.
    let created_id: RwSignal<Option<String>> = RwSignal::new(None);
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(id) = created_id.get() {
            navigate(&format!("/training/course/{id}"), Default::default());
        }
    });
    let created = Callback::new(move |id: String| created_id.set(Some(id)));
    view! {
        <section class="page training">
            <div class="page-head"><h1>{move || tx("courses")}</h1><span class="spacer"></span><Tabs/></div>
            <div class="toolbar">
                <select name="format" aria-label=move || tx("format") prop:value=move || format.get()
                    on:change=move |ev| format.set(event_target_value(&ev))>
                    <option value="">{move || tx("allFormats")}</option>
                    {FORMATS.iter().map(|f| {
                        let f = *f;
                        view! { <option value=f selected=move || format.get_untracked() == f>{move || tx(format_key(f))}</option> }
                    }).collect_view()}
                </select>
            </div>
            {company().then(|| view! {
                <details class="card tr-new" data-testid="tr-new-course">
                    <summary>{move || tx("new")}</summary>
                    <CourseForm draft=CourseDraft::default() saved=created/>
                </details>
            })}
            {move || {
                if let Some(e) = list.error.get() {
                    return view! { <ErrorBox error=e retry=Callback::new(move |_| list.load(format.get_untracked(), None))/> }.into_any();
                }
                if !list.answered.get() {
                    return view! { <Loading/> }.into_any();
                }
                let rows = list.rows.get();
                if rows.is_empty() {
                    return view! {
                        <div class="state empty"><div class="empty-icon">"∅"</div><strong>{move || tx("noCourses")}</strong></div>
                    }.into_any();
                }
                view! {
                    <p class="muted small tr-count">{list.total.get()}" "{move || tx("coursesTotal")}</p>
                    <table class="list tr-courses" class:busy=move || list.loading.get()>
                        <thead><tr>
                            <th>{move || tx("course")}</th><th>{move || tx("format")}</th><th>{move || tx("topic")}</th>
                            <th class="num">{move || tx("sessions")}</th><th>{move || tx("effect")}</th>
                        </tr></thead>
                        <tbody>{rows.into_iter().map(|c| {
                            let e = c.effect;
                            view! { <tr data-testid="tr-course-row">
                                <td data-label=move || tx("course")>
                                    <A href=format!("/training/course/{}", c.id)>{c.title.clone()}</A>
                                    {(!c.active).then(|| view! { " "<span class="badge not">{move || tx("inactive")}</span> })}
                                </td>
                                <td data-label=move || tx("format")><FormatBadge format=c.format.clone()/></td>
                                <td data-label=move || tx("topic")>{c.topic}</td>
                                <td class="num" data-label=move || tx("sessions")>{e.sessions}</td>
                                <td data-label=move || tx("effect")>{move || match effect_short(&e, english()) {
                                    Some(s) => view! { <span class=if e.net.is_some_and(|n| n < 0.0) { "tr-effect down" } else { "tr-effect" }>{s}</span> }.into_any(),
                                    None => view! { <span class="muted small">{move || tx("effectNone")}</span> }.into_any(),
                                }}</td>
                            </tr> }
                        }).collect_view()}</tbody>
                    </table>
                    {move || list.next.get().map(|after| view! {
                        <button class="btn tr-more" disabled=move || list.loading.get()
                            on:click=move |_| list.load(format.get_untracked(), Some(after.clone()))>{move || tx("more")}</button>
                    })}
                }.into_any()
            }}
        </section>
    }
}

// ---------------------------------------------------------------------------------------
// A course's form

/// A course as the form edits it (empty for a new one).
#[derive(Clone, Default)]
struct CourseDraft {
    id: Option<String>,
    version: Option<i64>,
    title: String,
    topic: String,
    format: String,
    description: String,
    /// (id, title)
    articles: Vec<(String, String)>,
    active: bool,
}

/// Title, topic, format, description, the linked articles (picked from a search of the
/// knowledge base) and whether the course is offered; `saved` gets the course's id.
#[component]
fn CourseForm(draft: CourseDraft, saved: Callback<String>) -> impl IntoView {
    let is_new = draft.id.is_none();
    let title = RwSignal::new(draft.title);
    let topic = RwSignal::new(draft.topic);
    let format = RwSignal::new(if draft.format.is_empty() {
        "WORKSHOP".to_owned()
    } else {
        draft.format
    });
    let description = RwSignal::new(draft.description);
    let articles = RwSignal::new(draft.articles);
    let active = RwSignal::new(is_new || draft.active);
    let (id, version) = (draft.id, draft.version);
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let done = RwSignal::new(false);
    // The article search: what is typed shows at once, the search follows 300 ms later.
    let typed = RwSignal::new(String::new());
    let searched = RwSignal::new(String::new());
    let pending = StoredValue::new(None::<TimeoutHandle>);
    let hits = LocalResource::new(move || {
        let q = searched.get();
        async move {
            if q.trim().is_empty() {
                return Ok(Vec::new());
            }
            call::<TrainingArticleSearch>(training_article_search::Variables {
                query: q.trim().to_owned(),
            })
            .await
            .map(|d| {
                d.search_articles
                    .edges
                    .into_iter()
                    .map(|e| (e.node.id, e.node.title))
                    .collect::<Vec<_>>()
            })
        }
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        use save_course as q;
        let input = q::SaveCourseInput {
            id: id.clone(),
            version,
            title: title.get_untracked().trim().to_owned(),
            topic: topic.get_untracked().trim().to_owned(),
            format: enum_of(&format.get_untracked()).unwrap_or(q::CourseFormat::WORKSHOP),
            description: some(&description.get_untracked()),
            article_ids: articles
                .get_untracked()
                .into_iter()
                .map(|(i, _)| i)
                .collect(),
            active: active.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        done.set(false);
        leptos::task::spawn_local(async move {
            match call::<SaveCourse>(q::Variables { input }).await {
                Ok(d) => {
                    done.set(true);
                    saved.run(d.save_course.id);
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form tr-course-form" on:submit=submit>
            <label>{move || tx("title")}
                <input type="text" name="title" required maxlength="200" prop:value=move || title.get() on:input=move |ev| title.set(event_target_value(&ev))/></label>
            <div class="tr-row">
                <label>{move || tx("topic")}
                    <input type="text" name="topic" required maxlength="100" prop:value=move || topic.get() on:input=move |ev| topic.set(event_target_value(&ev))/></label>
                <label>{move || tx("format")}
                    <select name="courseFormat" prop:value=move || format.get() on:change=move |ev| format.set(event_target_value(&ev))>
                        {FORMATS.iter().map(|f| {
                            let f = *f;
                            view! { <option value=f selected=move || format.get_untracked() == f>{move || tx(format_key(f))}</option> }
                        }).collect_view()}
                    </select></label>
            </div>
            <label>{move || tx("description")}
                <textarea name="description" rows="4" maxlength="5000" prop:value=move || description.get() on:input=move |ev| description.set(event_target_value(&ev))></textarea></label>
            <fieldset class="tr-articles">
                <legend>{move || tx("articles")}</legend>
                <ul class="tr-chosen">
                    {move || articles.get().into_iter().map(|(aid, atitle)| {
                        let gone = aid;
                        view! { <li><span>{atitle}</span>
                            <button type="button" class="btn ghost small-btn" aria-label=move || tx("remove")
                                on:click=move |_| articles.update(|v| v.retain(|(i, _)| *i != gone))>"×"</button></li> }
                    }).collect_view()}
                </ul>
                <input type="search" name="articleSearch" class="search" placeholder=move || tx("search") title=move || tx("articlesHint")
                    prop:value=move || typed.get()
                    on:input=move |ev| {
                        let v = event_target_value(&ev);
                        typed.set(v.clone());
                        if let Some(h) = pending.get_value() {
                            h.clear();
                        }
                        pending.set_value(set_timeout_with_handle(move || searched.set(v), std::time::Duration::from_millis(300)).ok());
                    }/>
                <p class="muted small">{move || tx("articlesHint")}</p>
                {move || hits.get().and_then(Result::ok).map(|found| {
                    let chosen = articles.get();
                    view! { <ul class="tr-hits">{found.into_iter().filter(|(i, _)| !chosen.iter().any(|(c, _)| c == i)).map(|(aid, atitle)| {
                        let pick_it = (aid, atitle.clone());
                        view! { <li><span>{atitle}</span>
                            <button type="button" class="btn small-btn" on:click=move |_| {
                                let p = pick_it.clone();
                                articles.update(|v| if !v.iter().any(|(i, _)| *i == p.0) { v.push(p) });
                            }>{move || tx("add")}</button></li> }
                    }).collect_view()}</ul> }
                })}
            </fieldset>
            <label class="check"><input type="checkbox" name="active" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev))/>{move || tx("active")}</label>
            {move || error.get().map(|e| if e.code == "CONFLICT" {
                view! { <p class="form-error" role="alert">{move || tx("conflictCourse")}" (CONFLICT)"</p> }.into_any()
            } else {
                view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> }.into_any()
            })}
            {move || done.get().then(|| view! { <p class="good" role="status">{move || tx("saved")}</p> })}
            <div class="actions">
                <button class="btn primary" type="submit" disabled=move || busy.get()>
                    {move || if busy.get() { tx("saving") } else if is_new { tx("new") } else { tx("save") }}</button>
            </div>
        </form>
    }
}

// ---------------------------------------------------------------------------------------
// A course

#[component]
fn CoursePage(id: String) -> impl IntoView {
    let cid = id;
    let data = LocalResource::new(move || {
        call::<TrainingCourse>(training_course::Variables { id: cid.clone() })
    });
    let title = expect_context::<PageTitle>().0;
    on_cleanup(move || title.set(None));
    let (me_id, _) = me();
    view! {
        <section class="page training tr-course">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    let training_course::TrainingCourseNode::Course(c) = d.node else {
                        return view! { <NotFound/> }.into_any();
                    };
                    title.set(Some(c.title.clone()));
                    let f = &c.effect;
                    let effect = Impact {
                        sessions: f.sessions,
                        measured: f.measured_sessions,
                        attendees: f.attendees,
                        tested: f.tested,
                        gain: f.score_gain,
                        a_before: f.attendees_win_rate_before,
                        a_after: f.attendees_win_rate_after,
                        a_change: f.attendees_change,
                        o_before: f.others_win_rate_before,
                        o_after: f.others_win_rate_after,
                        o_change: f.others_change,
                        net: f.net_effect,
                    };
                    let fmt = code(&c.format);
                    let draft = CourseDraft {
                        id: Some(c.id.clone()),
                        version: Some(c.version),
                        title: c.title.clone(),
                        topic: c.topic.clone(),
                        format: fmt.clone(),
                        description: c.description.clone().unwrap_or_default(),
                        articles: c.articles.iter().map(|a| (a.id.clone(), a.title.clone())).collect(),
                        active: c.active,
                    };
                    let rep = viewer_role() == Role::REP;
                    let me_id = me_id.clone();
                    view! {
                        <p class="crumbs"><A href="/training">{move || tx("courses")}</A></p>
                        <div class="page-head">
                            <h1>{c.title.clone()}</h1>
                        </div>
                        <div class="tr-meta">
                            <FormatBadge format=fmt/>
                            <span class="muted">{move || if english() { format!("{}: ", tx("topic")) } else { format!("{}：", tx("topic")) }}{c.topic.clone()}</span>
                            {(!c.active).then(|| view! { <span class="badge not">{move || tx("inactive")}</span> })}
                        </div>
                        {c.description.clone().map(|d| view! { <p class="tr-description pre">{d}</p> })}
                        {company().then(|| view! {
                            <details class="card tr-edit">
                                <summary>{move || tx("edit")}</summary>
                                <CourseForm draft=draft saved=Callback::new(move |_| data.refetch())/>
                            </details>
                        })}
                        <h2>{move || tx("articles")}</h2>
                        {if c.articles.is_empty() {
                            view! { <p class="muted">{move || tx("noArticles")}</p> }.into_any()
                        } else {
                            view! { <ul class="tr-article-links">{c.articles.iter().map(|a| {
                                let (href, text) = (article_href(&a.id), a.title.clone());
                                view! { <li><A href=href>{text}</A></li> }
                            }).collect_view()}</ul> }.into_any()
                        }}
                        <h2>{move || tx("effect")}</h2>
                        <EffectView e=effect/>
                        <h2>{move || tx("sessions")}</h2>
                        {
                        // Sessions of a region the viewer does not read (region null, not
                        // company-wide) without attendance the viewer sees are counted, not
                        // listed.
                        let wide = company();
                        let (sessions, elsewhere): (Vec<_>, Vec<_>) = c.sessions.into_iter()
                            .partition(|s| wide || s.company_wide || s.region.is_some() || !s.attendance.is_empty());
                        let elsewhere = elsewhere.len();
                        view! {
                        {if sessions.is_empty() {
                            view! { <p class="muted state empty">{move || tx("noSessions")}</p> }.into_any()
                        } else {
                            view! {
                                <table class="list tr-sessions">
                                    <thead><tr>
                                        <th>{move || tx("date")}</th><th>{move || tx("region")}</th><th>{move || tx("location")}</th>
                                        <th>{move || tx("trainer")}</th>
                                        <th class="num">{move || if rep { tx("yourStatus") } else { tx("attended") }}</th>
                                    </tr></thead>
                                    <tbody>{sessions.into_iter().map(|s| {
                                        let came = s.attendance.iter().filter(|a| a.attended).count();
                                        let invited = s.attendance.len();
                                        let own = s.attendance.iter().find(|a| a.user_id == me_id).map(|a| a.attended);
                                        let region = if s.company_wide { None } else { Some(s.region.map_or_else(|| "—".to_owned(), |r| r.name)) };
                                        view! { <tr data-testid="tr-session-row">
                                            <td data-label=move || tx("date")><A href=format!("/training/session/{}", s.id)>{s.held_on.clone()}</A></td>
                                            <td data-label=move || tx("region")>{move || region.clone().unwrap_or_else(|| tx("companyWide").to_owned())}</td>
                                            <td data-label=move || tx("location")>{s.location.clone().map(|l| pick(&l)).unwrap_or_default()}</td>
                                            <td data-label=move || tx("trainer")>{s.trainer_name.unwrap_or_default()}</td>
                                            <td class="num" data-label=move || if rep { tx("yourStatus") } else { tx("attended") }>{move || if rep {
                                                match own { Some(true) => tx("attended").to_owned(), Some(false) => tx("absent").to_owned(), None => "—".to_owned() }
                                            } else {
                                                format!("{came} / {invited}")
                                            }}</td>
                                        </tr> }
                                    }).collect_view()}</tbody>
                                </table>
                            }.into_any()
                        }}
                        {(elsewhere > 0).then(|| view! {
                            <p class="muted small tr-elsewhere">{move || if english() {
                                format!("{elsewhere} more in other regions or company-wide.")
                            } else {
                                format!("另有 {elsewhere} 场在其他区域或全公司举办。")
                            }}</p>
                        })}
                        }
                        }
                        {schedules().then(|| view! {
                            <details class="card tr-schedule" data-testid="tr-schedule">
                                <summary>{move || tx("schedule")}</summary>
                                <ScheduleForm course=c.id.clone()/>
                            </details>
                        })}
                    }.into_any()
                }
            }}
        </section>
    }
}

/// The effect of a course: tiles (net effect, score gain, sessions and attendances), the
/// win rates before and after as paired bars (attendees, others) and the numbers in words;
/// an empty state while nothing is measurable.
#[component]
fn EffectView(e: Impact) -> impl IntoView {
    if e.sessions == 0 || !e.measurable() {
        return view! {
            <div class="state empty tr-effect-empty" data-testid="tr-effect-empty">
                <div class="empty-icon">"∅"</div>
                <strong>{move || tx("effectNone")}</strong>
                <p>{move || tx("effectNoneHint")}</p>
                <p class="muted small">{move || tx("sessions")}" "{e.sessions}" · "{move || attendances(e.attendees, english())}</p>
            </div>
        }
        .into_any();
    }
    let narrow = narrow_screen();
    let tone_of = |n: Option<f64>| match n {
        Some(v) if v > 0.0 => "good",
        Some(v) if v < 0.0 => "bad",
        _ => "",
    };
    view! {
        <div class="tr-effect-card card" data-testid="tr-effect">
            <div class="kpis tr-kpis">
                <div class="kpi">
                    <span class="kpi-label">{move || tx("net")}</span>
                    <span class=format!("kpi-value {}", tone_of(e.net))>{e.net.map_or_else(|| "—".to_owned(), points)}</span>
                    <span class="kpi-sub">{move || tx("pointsUnit")}</span>
                </div>
                <div class="kpi">
                    <span class="kpi-label">{move || tx("scoreGain")}</span>
                    <span class=format!("kpi-value {}", tone_of(e.gain))>{e.gain.map_or_else(|| "—".to_owned(), signed)}</span>
                    <span class="kpi-sub">{move || tx("scoreUnit")}" · "{e.tested}" "{move || tx("tested")}</span>
                </div>
                <div class="kpi">
                    <span class="kpi-label">{move || tx("sessions")}</span>
                    <span class="kpi-value">{e.sessions}</span>
                    <span class="kpi-sub">{move || attendances(e.attendees, english())}</span>
                </div>
            </div>
            {e.has_rates().then(|| view! {
                <figure class="chart tr-chart">
                    {move || {
                        let groups = [
                            (tx("attendees"), e.a_before, e.a_after, "a"),
                            (tx("others"), e.o_before, e.o_after, "o"),
                        ];
                        let mut bars = Vec::new();
                        let mut readouts = Vec::new();
                        for (name, before, after, g) in groups {
                            for (when, v, tone) in [(tx("before"), before, if g == "a" { "tr-a0" } else { "tr-o0" }), (tx("after"), after, if g == "a" { "tr-a1" } else { "tr-o1" })] {
                                let text = format!("{name} · {when} · {} {}", tx("winRate"), pct(v));
                                bars.push(Bar {
                                    label: when.to_owned(),
                                    sub_label: Some(name.to_owned()),
                                    value: v.unwrap_or(0.0),
                                    target: None,
                                    tone,
                                    title: text.clone(),
                                });
                                readouts.push(text);
                            }
                        }
                                        let readout = Callback::new(move |i: usize| readouts.get(i).cloned());
                        view! { <BarChart bars=bars axis=|v: f64| format!("{:.0}%", v * 100.0) readout=readout label="training.effectChart" narrow=narrow/> }
                    }}
                    <figcaption class="legend">
                        <span class="tr-key"><span class="swatch tr-a0"></span>{move || tx("attendees")}" · "{move || tx("before")}</span>
                        <span class="tr-key"><span class="swatch tr-a1"></span>{move || tx("attendees")}" · "{move || tx("after")}</span>
                        <span class="tr-key"><span class="swatch tr-o0"></span>{move || tx("others")}" · "{move || tx("before")}</span>
                        <span class="tr-key"><span class="swatch tr-o1"></span>{move || tx("others")}" · "{move || tx("after")}</span>
                    </figcaption>
                    <p class="muted small">{move || tx("chartHint")}</p>
                </figure>
            })}
            <div class="tr-words" data-testid="tr-effect-words">
                {move || effect_words(&e, english()).into_iter().map(|l| view! { <p>{l}</p> }).collect_view()}
            </div>
        </div>
    }
    .into_any()
}

// ---------------------------------------------------------------------------------------
// Scheduling a session

/// One person a session may invite.
#[derive(Clone)]
struct Invitee {
    user: Option<String>,
    name: String,
    region: String,
}

/// Date, region (a supervisor's own; a director's any, or the whole company), location and
/// the invitees: the active reps of the region, all ticked.
#[component]
fn ScheduleForm(course: String) -> impl IntoView {
    let (_, mine) = me();
    let company = company();
    let held_on = RwSignal::new(crate::format::today());
    let region = RwSignal::new(if company {
        String::new()
    } else {
        mine.first().map(|(i, _)| i.clone()).unwrap_or_default()
    });
    let location = RwSignal::new(String::new());
    let chosen: RwSignal<Vec<String>> = RwSignal::new(Vec::new());
    let own = mine;
    let regions = LocalResource::new(move || {
        let own = own.clone();
        async move {
            if company {
                call::<RegionOptions>(region_options::Variables {})
                    .await
                    .map(|d| {
                        d.regions
                            .edges
                            .into_iter()
                            .map(|e| (e.node.id, e.node.name))
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default()
            } else {
                own
            }
        }
    });
    let invitees = LocalResource::new(move || {
        let r = region.get();
        async move {
            call::<TrainingInvitees>(training_invitees::Variables {
                region_id: some(&r),
            })
            .await
            .map(|d| {
                d.reps
                    .edges
                    .into_iter()
                    .map(|e| Invitee {
                        user: e.node.user.map(|u| u.id),
                        name: e.node.name,
                        region: e.node.region.name,
                    })
                    .collect::<Vec<_>>()
            })
        }
    });
    // The reps of a region come ticked; a company-wide session starts with none.
    Effect::new(move |_| {
        if let Some(Ok(list)) = invitees.get() {
            let all = untrack(|| !region.get().is_empty());
            chosen.set(if all {
                list.iter().filter_map(|i| i.user.clone()).collect()
            } else {
                Vec::new()
            });
        }
    });
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let navigate = use_navigate();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        use schedule_training_session as q;
        let input = q::ScheduleTrainingSessionInput {
            course_id: course.clone(),
            held_on: held_on.get_untracked(),
            region_id: some(&region.get_untracked()),
            location: some(&location.get_untracked()),
            invitee_ids: chosen.get_untracked(),
        };
        busy.set(true);
        error.set(None);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match call::<ScheduleTrainingSession>(q::Variables { input }).await {
                Ok(d) => navigate(
                    &format!("/training/session/{}", d.schedule_training_session.id),
                    Default::default(),
                ),
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="form tr-schedule-form" on:submit=submit>
            <div class="tr-row">
                <label>{move || tx("date")}
                    <input type="date" name="heldOn" required prop:value=move || held_on.get() on:input=move |ev| held_on.set(event_target_value(&ev))/></label>
                <label>{move || tx("region")}
                    <select name="region" prop:value=move || region.get() on:change=move |ev| region.set(event_target_value(&ev))>
                        {company.then(|| view! { <option value="">{move || tx("companyWide")}</option> })}
                        {move || regions.get().map(|rs| rs.into_iter().map(|(rid, name)| {
                            let sel = rid.clone();
                            view! { <option value=rid selected=move || region.get_untracked() == sel>{name}</option> }
                        }).collect_view())}
                    </select></label>
            </div>
            <label>{move || tx("location")}
                <input type="text" name="location" maxlength="200" prop:value=move || location.get() on:input=move |ev| location.set(event_target_value(&ev))/></label>
            <fieldset class="checks tr-invitees">
                <legend>{move || tx("invitees")}" "{move || format!("({})", chosen.with(Vec::len))}</legend>
                {move || match invitees.get() {
                    None => view! { <Loading/> }.into_any(),
                    Some(Err(e)) => view! { <ErrorBox error=e/> }.into_any(),
                    Some(Ok(list)) if list.is_empty() => view! { <p class="muted">{move || tx("inviteesNone")}</p> }.into_any(),
                    Some(Ok(list)) => {
                        let everyone: Vec<String> = list.iter().filter_map(|i| i.user.clone()).collect();
                        let wide = region.get_untracked().is_empty();
                        view! {
                            <div class="tr-pick-all">
                                <button type="button" class="linkish" on:click=move |_| chosen.set(everyone.clone())>{move || tx("selectAll")}</button>
                                " · "
                                <button type="button" class="linkish" on:click=move |_| chosen.set(Vec::new())>{move || tx("selectNone")}</button>
                            </div>
                            {list.into_iter().map(|i| match i.user {
                                Some(uid) => {
                                    let (a, b) = (uid.clone(), uid);
                                    view! { <label class="check"><input type="checkbox" name="invitee"
                                        prop:checked=move || chosen.with(|c| c.contains(&a))
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            let u = b.clone();
                                            chosen.update(|c| { c.retain(|x| *x != u); if on { c.push(u) } });
                                        }/>{i.name}{wide.then(|| format!(" · {}", i.region))}</label> }.into_any()
                                }
                                None => view! { <label class="check muted"><input type="checkbox" disabled/>{i.name}" ("{move || tx("noAccount")}")"</label> }.into_any(),
                            }).collect_view()}
                        }.into_any()
                    }
                }}
            </fieldset>
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> })}
            <div class="actions">
                <button class="btn primary" type="submit" disabled=move || busy.get()>{move || tx("scheduleDo")}</button>
            </div>
        </form>
    }
}

// ---------------------------------------------------------------------------------------
// A session

#[component]
fn SessionPage(id: String) -> impl IntoView {
    let sid = id;
    let data = LocalResource::new(move || {
        call::<TrainingSessionDetail>(training_session_detail::Variables { id: sid.clone() })
    });
    let saved = RwSignal::new(false);
    let title = expect_context::<PageTitle>().0;
    on_cleanup(move || title.set(None));
    view! {
        <section class="page training tr-session">
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) => {
                    let training_session_detail::TrainingSessionDetailNode::TrainingSession(s) = d.node else {
                        return view! { <NotFound/> }.into_any();
                    };
                    let course_title = s.course.as_ref().map(|c| c.title.clone()).unwrap_or_default();
                    title.set(Some(format!("{course_title} · {}", s.held_on)));
                    let region_id = s.region.as_ref().map(|r| r.id.clone());
                    let region = s.region.as_ref().map(|r| r.name.clone());
                    let editable = runs(region_id.as_deref());
                    let rows: Vec<AttendanceRow> = s.attendance.iter().map(|a| AttendanceRow {
                        user_id: a.user_id.clone(),
                        name: a.name.clone().unwrap_or_else(|| a.user_id.clone()),
                        attended: a.attended,
                        pre: a.pre_score,
                        post: a.post_score,
                    }).collect();
                    let came = rows.iter().filter(|r| r.attended).count();
                    let invited = rows.len();
                    let gains: Vec<f64> = rows.iter().filter(|r| r.attended).filter_map(|r| Some(r.post? - r.pre?)).collect();
                    let mean_gain = (!gains.is_empty()).then(|| gains.iter().sum::<f64>() / gains.len() as f64);
                    let location = s.location.clone().map(|l| pick(&l)).unwrap_or_else(|| "—".to_owned());
                    view! {
                        <p class="crumbs"><A href="/training">{move || tx("courses")}</A>
                            {s.course.clone().map(|c| view! { " / "<A href=format!("/training/course/{}", c.id)>{c.title}</A> })}</p>
                        <div class="page-head"><h1>{course_title}" · "{s.held_on.clone()}</h1></div>
                        <dl class="facts tr-facts">
                            <div><dt>{move || tx("date")}</dt><dd>{s.held_on.clone()}</dd></div>
                            <div><dt>{move || tx("region")}</dt><dd>{move || region.clone().unwrap_or_else(|| tx("companyWide").to_owned())}</dd></div>
                            <div><dt>{move || tx("location")}</dt><dd>{location}</dd></div>
                            <div><dt>{move || tx("trainer")}</dt><dd>{s.trainer_name.clone().unwrap_or_else(|| "—".to_owned())}</dd></div>
                            <div><dt>{move || tx("window")}</dt><dd>{move || window_words(&s.window_before_from, &s.held_on, &s.window_after_to, english())}</dd></div>
                        </dl>
                        <h2>{move || tx("attendance")}</h2>
                        <p class="muted tr-summary" data-testid="tr-summary">
                            {move || tx("attended")}" "{came}" / "{move || tx("invited")}" "{invited}
                            {mean_gain.map(|g| view! { " · "{move || tx("gain")}" "{signed(g)}" "{move || tx("scoreUnit")} })}
                        </p>
                        {if rows.is_empty() {
                            view! { <p class="muted state empty">{move || tx("nobody")}</p> }.into_any()
                        } else if editable {
                            view! { <AttendanceEditor session=s.id.clone() version=s.version rows=rows saved=saved reload=Callback::new(move |_| data.refetch())/> }.into_any()
                        } else {
                            view! { <AttendanceTable rows=rows/> }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </section>
    }
}

#[derive(Clone)]
struct AttendanceRow {
    user_id: String,
    name: String,
    attended: bool,
    pre: Option<f64>,
    post: Option<f64>,
}

fn gain_of(pre: Option<f64>, post: Option<f64>) -> String {
    match (pre, post) {
        (Some(a), Some(b)) => signed(b - a),
        _ => "—".to_owned(),
    }
}

#[component]
fn AttendanceTable(rows: Vec<AttendanceRow>) -> impl IntoView {
    view! {
        <table class="list tr-attendance">
            <thead><tr>
                <th>{move || tx("who")}</th><th>{move || tx("attended")}</th>
                <th class="num">{move || tx("pre")}</th><th class="num">{move || tx("post")}</th><th class="num">{move || tx("gain")}</th>
            </tr></thead>
            <tbody>{rows.into_iter().map(|r| view! { <tr data-testid="tr-attendance-row">
                <td data-label=move || tx("who")>{r.name.clone()}</td>
                <td data-label=move || tx("attended")>{if r.attended {
                    view! { <span class="badge eligible">"✓ "{move || tx("attended")}</span> }.into_any()
                } else {
                    view! { <span class="badge not">{move || tx("absent")}</span> }.into_any()
                }}</td>
                <td class="num" data-label=move || tx("pre")>{score(r.pre)}</td>
                <td class="num" data-label=move || tx("post")>{score(r.post)}</td>
                <td class="num" data-label=move || tx("gain")>{gain_of(r.pre, r.post)}</td>
            </tr> }).collect_view()}</tbody>
        </table>
    }
}

/// One row being edited: every field its own signal.
#[derive(Clone)]
struct EditRow {
    user_id: String,
    name: String,
    attended: RwSignal<bool>,
    pre: RwSignal<String>,
    post: RwSignal<String>,
}

/// The attendance as a form: attended, the scores before and after (0–100, checked as
/// typed), saved at once with the session's version; a stale version says so and offers
/// to reload.
#[component]
fn AttendanceEditor(
    session: String,
    version: i64,
    rows: Vec<AttendanceRow>,
    saved: RwSignal<bool>,
    reload: Callback<()>,
) -> impl IntoView {
    let rows: Vec<EditRow> = rows
        .into_iter()
        .map(|r| EditRow {
            user_id: r.user_id,
            name: r.name,
            attended: RwSignal::new(r.attended),
            pre: RwSignal::new(score_text(r.pre)),
            post: RwSignal::new(score_text(r.post)),
        })
        .collect();
    let all = rows.clone();
    let invalid = Memo::new(move |_| {
        all.iter()
            .any(|r| row_problem(r.attended.get(), &r.pre.get(), &r.post.get()).is_some())
    });
    let busy = RwSignal::new(false);
    let error: RwSignal<Option<ApiError>> = RwSignal::new(None);
    let sending = rows.clone();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if invalid.get_untracked() {
            return;
        }
        use record_training_attendance as q;
        let entries = sending
            .iter()
            .map(|r| q::TrainingAttendanceInput {
                user_id: r.user_id.clone(),
                attended: r.attended.get_untracked(),
                pre_score: parse_score(&r.pre.get_untracked()).ok().flatten(),
                post_score: parse_score(&r.post.get_untracked()).ok().flatten(),
            })
            .collect();
        let input = q::RecordTrainingAttendanceInput {
            session_id: session.clone(),
            version,
            entries,
        };
        busy.set(true);
        error.set(None);
        saved.set(false);
        leptos::task::spawn_local(async move {
            match call::<RecordTrainingAttendance>(q::Variables { input }).await {
                Ok(_) => {
                    saved.set(true);
                    reload.run(());
                }
                Err(e) => error.set(Some(e)),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="tr-record" novalidate on:submit=submit data-testid="tr-record">
            <table class="list tr-attendance editable">
                <thead><tr>
                    <th>{move || tx("who")}</th><th>{move || tx("attended")}</th>
                    <th class="num">{move || tx("pre")}</th><th class="num">{move || tx("post")}</th><th class="num">{move || tx("gain")}</th>
                </tr></thead>
                <tbody>{rows.into_iter().enumerate().map(|(i, r)| {
                    let EditRow { name, attended, pre, post, .. } = r;
                    let problem = move || row_problem(attended.get(), &pre.get(), &post.get());
                    let gain = move || gain_of(parse_score(&pre.get()).ok().flatten(), parse_score(&post.get()).ok().flatten());
                    view! {
                        <tr data-testid="tr-attendance-row" class:invalid=move || problem().is_some()>
                            <td data-label=move || tx("who")><strong>{name}</strong>
                                {move || problem().map(|k| view! { <span class="tr-row-error" role="alert">{move || tx(k)}</span> })}</td>
                            <td data-label=move || tx("attended")><label class="check tr-attended">
                                <input type="checkbox" name=format!("attended-{i}") prop:checked=move || attended.get()
                                    on:change=move |ev| { attended.set(event_target_checked(&ev)); saved.set(false); }/>
                                {move || if attended.get() { tx("attended") } else { tx("absent") }}</label></td>
                            <td class="num" data-label=move || tx("pre")>
                                <input class="score-input" type="number" inputmode="decimal" min="0" max="100" step="any" name=format!("pre-{i}")
                                    aria-label=move || tx("pre") prop:value=move || pre.get()
                                    on:input=move |ev| { pre.set(event_target_value(&ev)); saved.set(false); }/></td>
                            <td class="num" data-label=move || tx("post")>
                                <input class="score-input" type="number" inputmode="decimal" min="0" max="100" step="any" name=format!("post-{i}")
                                    aria-label=move || tx("post") prop:value=move || post.get()
                                    on:input=move |ev| { post.set(event_target_value(&ev)); saved.set(false); }/></td>
                            <td class="num" data-label=move || tx("gain")>{gain}</td>
                        </tr>
                    }
                }).collect_view()}</tbody>
            </table>
            {move || error.get().map(|e| if e.code == "CONFLICT" {
                view! {
                    <div class="form-error tr-conflict" role="alert" data-testid="tr-conflict">
                        <strong>{move || tx("conflictTitle")}</strong>" "{move || tx("conflict")}" "<code class="code">"CONFLICT"</code>
                        <button type="button" class="btn" on:click=move |_| { error.set(None); reload.run(()); }>{move || tx("reload")}</button>
                    </div>
                }.into_any()
            } else {
                view! { <p class="form-error" role="alert">{pick(&e.message)}" ("{e.code}")"</p> }.into_any()
            })}
            <div class="actions tr-actions">
                <button class="btn primary" type="submit" name="record" disabled=move || busy.get() || invalid.get()>
                    {move || if busy.get() { tx("saving") } else { tx("record") }}</button>
                {move || saved.get().then(|| view! { <span class="good" role="status" data-testid="tr-saved">"✓ "{move || tx("saved")}</span> })}
            </div>
        </form>
    }
}

// ---------------------------------------------------------------------------------------
// My training

#[component]
fn MinePage() -> impl IntoView {
    let data = LocalResource::new(|| call::<MyTrainingList>(my_training_list::Variables {}));
    view! {
        <section class="page training tr-mine">
            <div class="page-head"><h1>{move || tx("mine")}</h1><span class="spacer"></span><Tabs/></div>
            {move || match data.get() {
                None => view! { <Loading/> }.into_any(),
                Some(Err(e)) => view! { <ErrorBox error=e retry=Callback::new(move |_| data.refetch())/> }.into_any(),
                Some(Ok(d)) if d.my_training.is_empty() => view! {
                    <div class="state empty" data-testid="tr-mine-empty"><div class="empty-icon">"∅"</div><strong>{move || tx("mineEmpty")}</strong>
                        <A href="/training" attr:class="btn">{move || tx("courses")}</A></div>
                }.into_any(),
                Some(Ok(d)) => {
                    let rows = d.my_training;
                    let invited = rows.len();
                    let came = rows.iter().filter(|r| r.attended).count();
                    let posts: Vec<f64> = rows.iter().filter(|r| r.attended).filter_map(|r| r.post_score).collect();
                    let mean_post = (!posts.is_empty()).then(|| posts.iter().sum::<f64>() / posts.len() as f64);
                    view! {
                        <div class="kpis tr-kpis">
                            <div class="kpi"><span class="kpi-label">{move || tx("invited")}</span><span class="kpi-value">{invited}</span></div>
                            <div class="kpi"><span class="kpi-label">{move || tx("attended")}</span><span class="kpi-value">{came}</span></div>
                            <div class="kpi"><span class="kpi-label">{move || tx("meanPost")}</span><span class="kpi-value">{score(mean_post)}</span></div>
                        </div>
                        <table class="list tr-mine-list">
                            <thead><tr>
                                <th>{move || tx("date")}</th><th>{move || tx("course")}</th><th>{move || tx("region")}</th>
                                <th>{move || tx("attended")}</th><th class="num">{move || tx("pre")}</th><th class="num">{move || tx("post")}</th><th class="num">{move || tx("gain")}</th>
                            </tr></thead>
                            <tbody>{rows.into_iter().map(|r| {
                                let s = r.session;
                                let place = match (s.region.map(|x| x.name), s.location.map(|l| pick(&l))) {
                                    (Some(a), Some(b)) => Some(format!("{a} · {b}")),
                                    (a, b) => a.or(b),
                                };
                                view! { <tr data-testid="tr-mine-row">
                                    <td data-label=move || tx("date")><A href=format!("/training/session/{}", s.id)>{s.held_on.clone()}</A></td>
                                    <td data-label=move || tx("course")>{s.course.map(|c| {
                                        let f = code(&c.format);
                                        view! { <A href=format!("/training/course/{}", c.id)>{c.title}</A>" "<FormatBadge format=f/> }
                                    })}</td>
                                    <td data-label=move || tx("region")>{move || place.clone().unwrap_or_else(|| tx("companyWide").to_owned())}</td>
                                    <td data-label=move || tx("attended")>{if r.attended {
                                        view! { <span class="badge eligible">"✓ "{move || tx("attended")}</span> }.into_any()
                                    } else {
                                        view! { <span class="badge not">{move || tx("absent")}</span> }.into_any()
                                    }}</td>
                                    <td class="num" data-label=move || tx("pre")>{score(r.pre_score)}</td>
                                    <td class="num" data-label=move || tx("post")>{score(r.post_score)}</td>
                                    <td class="num" data-label=move || tx("gain")>{gain_of(r.pre_score, r.post_score)}</td>
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
        let src = include_str!("training.rs");
        for part in src.split("tx(\"").skip(1) {
            if let Some(key) = part.split('"').next() {
                assert!(
                    TEXTS.binary_search_by(|(k, _, _)| k.cmp(&key)).is_ok(),
                    "no text {key}"
                );
            }
        }
        for f in FORMATS {
            assert!(TEXTS.iter().any(|(k, _, _)| *k == format_key(f)), "{f}");
        }
        for k in ["scoreBad", "postAbsent"] {
            assert!(TEXTS.iter().any(|(t, _, _)| *t == k), "{k}");
        }
    }

    #[test]
    fn the_effect_reads_as_the_brief_says() {
        let e = Impact {
            sessions: 3,
            measured: 3,
            attendees: 20,
            tested: 18,
            gain: Some(12.5),
            a_before: Some(0.3),
            a_after: Some(0.5),
            a_change: Some(0.2),
            o_before: Some(0.4),
            o_after: Some(0.44),
            o_change: Some(0.04),
            net: Some(0.16),
        };
        let zh = effect_words(&e, false);
        assert_eq!(
            zh[0],
            "参训者赢单率 30% → 50%（+20 个百分点），未参训者 40% → 44%（+4），净效果 +16 个百分点。"
        );
        assert_eq!(
            zh[1],
            "技能测试：培训后比培训前平均 +12.5 分（18 人次完成前后测试）。"
        );
        let en = effect_words(&e, true);
        assert_eq!(
            en[0],
            "Attendees' win rate 30% → 50% (+20 points), others 40% → 44% (+4), net effect +16 points."
        );
        assert_eq!(
            effect_short(&e, false).as_deref(),
            Some("净效果 +16 个百分点 · 成绩 +12.5 分")
        );
    }

    #[test]
    fn sessions_still_in_their_window_are_named() {
        let e = Impact {
            sessions: 3,
            measured: 1,
            a_before: Some(0.3),
            a_after: Some(0.5),
            ..Impact::default()
        };
        assert_eq!(
            effect_words(&e, true)[1],
            "Win rates from the 1 of 3 sessions whose three months after have ended; 2 still running."
        );
        assert_eq!(
            effect_words(&e, false)[1],
            "赢单率只计已满培训后三个月的 1 场（共 3 场），2 场尚在观察期。"
        );
        let fresh = Impact {
            sessions: 2,
            gain: Some(5.0),
            tested: 4,
            ..Impact::default()
        };
        assert!(effect_words(&fresh, true)[0].starts_with("No session's three months after"));
    }

    #[test]
    fn missing_figures_are_left_out_or_dashed() {
        let e = Impact {
            sessions: 1,
            measured: 1,
            a_after: Some(0.425),
            o_change: Some(-0.05),
            ..Impact::default()
        };
        assert_eq!(
            effect_words(&e, false),
            vec!["参训者赢单率 — → 42.5%，未参训者 — → —（−5）。".to_owned()]
        );
        assert!(effect_words(&Impact::default(), true).is_empty());
        assert!(!Impact::default().measurable());
        assert_eq!(effect_short(&Impact::default(), true), None);
    }

    #[test]
    fn numbers_drop_trailing_zeros_and_sign_with_a_true_minus() {
        assert_eq!(tenth(20.0), "20");
        assert_eq!(tenth(12.26), "12.3");
        assert_eq!(signed(-4.0), "−4");
        assert_eq!(signed(-0.01), "+0");
        assert_eq!(points(0.16), "+16");
        assert_eq!(pct(Some(0.44)), "44%");
        assert_eq!(pct(None), "—");
    }

    #[test]
    fn the_window_is_whole_months_around_the_session() {
        assert_eq!(
            window_words("2026-09-01", "2026-12-06", "2027-04-01", false),
            "培训前 2026-09 至 2026-11，培训后 2027-01 至 2027-03（培训当月不计）"
        );
        assert_eq!(
            window_words("2025-10-01", "2026-01-15", "2026-05-01", true),
            "before 2025-10 to 2025-12, after 2026-02 to 2026-04 (the session's month in neither)"
        );
        assert_eq!(window_words("x", "y", "z", true), "x – z");
        assert_eq!(attendances(13, false), "参训 13 人次");
    }

    #[test]
    fn scores_are_checked_as_typed() {
        assert_eq!(parse_score(""), Ok(None));
        assert_eq!(parse_score(" 87,5 "), Ok(Some(87.5)));
        assert_eq!(parse_score("100"), Ok(Some(100.0)));
        assert_eq!(parse_score("101"), Err(()));
        assert_eq!(parse_score("-1"), Err(()));
        assert_eq!(parse_score("abc"), Err(()));
        assert_eq!(row_problem(true, "60", "80"), None);
        assert_eq!(row_problem(false, "60", ""), None);
        assert_eq!(row_problem(false, "60", "80"), Some("postAbsent"));
        assert_eq!(row_problem(true, "160", "80"), Some("scoreBad"));
    }
}
