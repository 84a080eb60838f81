//! The knowledge base (知识库) and its contributions (金点子), as rules: the closed sets
//! (categories, objection scenarios, contribution kinds and states), what a tag is, which
//! decisions a contribution may take, the reward an adoption earns by default, the line
//! diff between two versions, and the usage-versus-results comparison by region
//! (seed 000 §4.3.3).

use std::fmt;

/// What an article is about (domain.md "Knowledge base").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Category {
    Product,
    Customer,
    Process,
    /// Success and failure cases, for review meetings.
    Case,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Product => "PRODUCT",
            Category::Customer => "CUSTOMER",
            Category::Process => "PROCESS",
            Category::Case => "CASE",
        }
    }
}

/// The objection an objection-handling script (异议处理话术) answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Scenario {
    /// 价格敏感: "too expensive".
    PriceSensitive,
    /// 决策链复杂: many people decide.
    ComplexDecisionChain,
    /// 竞品比较.
    CompetitorComparison,
    /// 需求不明确.
    NeedUnclear,
    /// 拖延决策: "not now".
    DelayedDecision,
    /// 信任顾虑.
    TrustConcern,
}

impl Scenario {
    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::PriceSensitive => "PRICE_SENSITIVE",
            Scenario::ComplexDecisionChain => "COMPLEX_DECISION_CHAIN",
            Scenario::CompetitorComparison => "COMPETITOR_COMPARISON",
            Scenario::NeedUnclear => "NEED_UNCLEAR",
            Scenario::DelayedDecision => "DELAYED_DECISION",
            Scenario::TrustConcern => "TRUST_CONCERN",
        }
    }
}

/// What a contribution (金点子) proposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContributionKind {
    /// A new article.
    NewArticle,
    /// A new text for an existing article.
    Edit,
    /// An improvement idea (process, product, anything): no article.
    Idea,
}

impl ContributionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ContributionKind::NewArticle => "NEW_ARTICLE",
            ContributionKind::Edit => "EDIT",
            ContributionKind::Idea => "IDEA",
        }
    }

    /// The reward an adoption earns when the decider names none (points, 积分): a new
    /// article is the most work, an idea the least.
    pub fn default_reward(self) -> i32 {
        match self {
            ContributionKind::NewArticle => 50,
            ContributionKind::Edit => 20,
            ContributionKind::Idea => 10,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ContributionStatus {
    Proposed,
    Adopted,
    Declined,
}

impl ContributionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ContributionStatus::Proposed => "PROPOSED",
            ContributionStatus::Adopted => "ADOPTED",
            ContributionStatus::Declined => "DECLINED",
        }
    }
}

/// The most points one adoption may earn.
pub const MAX_REWARD: i32 = 10_000;
/// Tags an article may carry.
pub const MAX_TAGS: usize = 12;
/// Characters of a tag.
pub const MAX_TAG_CHARS: usize = 30;
/// Characters of an article's body (Markdown).
pub const MAX_BODY_CHARS: usize = 100_000;
/// Characters of a title.
pub const MAX_TITLE_CHARS: usize = 200;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KnowledgeError {
    TooManyTags,
    BadTag(String),
    BadReward(i32),
    AlreadyDecided(ContributionStatus),
    OwnContribution,
    ReasonRequired,
    EditNeedsArticle,
}

impl fmt::Display for KnowledgeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KnowledgeError::TooManyTags => {
                write!(f, "tags: 最多 {MAX_TAGS} 个标签 / at most {MAX_TAGS} tags")
            }
            KnowledgeError::BadTag(t) => write!(
                f,
                "tags: 标签“{t}”须为 1–{MAX_TAG_CHARS} 个字，不含逗号 / tag {t:?} must be 1–{MAX_TAG_CHARS} characters without commas"
            ),
            KnowledgeError::BadReward(p) => write!(
                f,
                "rewardPoints: {p} 不在 0–{MAX_REWARD} 之间 / not between 0 and {MAX_REWARD}"
            ),
            KnowledgeError::AlreadyDecided(s) => write!(
                f,
                "这条金点子已处理（{}）/ this contribution was already decided ({})",
                s.as_str(),
                s.as_str()
            ),
            KnowledgeError::OwnContribution => {
                f.write_str("不能处理自己提交的金点子 / you cannot decide your own contribution")
            }
            KnowledgeError::ReasonRequired => {
                f.write_str("reason: 采纳或不采纳都需要说明理由 / a reason is required")
            }
            KnowledgeError::EditNeedsArticle => {
                f.write_str("articleId: 修改建议需要指明文章 / an edit names its article")
            }
        }
    }
}

impl std::error::Error for KnowledgeError {}

/// Tags as given (trimmed, `#` dropped, case kept) without duplicates (compared
/// case-insensitively), in their order; blank ones are skipped.
pub fn normalize_tags(tags: &[String]) -> Result<Vec<String>, KnowledgeError> {
    let mut out: Vec<String> = Vec::new();
    for t in tags {
        let t = t.trim().trim_start_matches('#').trim();
        if t.is_empty() {
            continue;
        }
        if t.chars().count() > MAX_TAG_CHARS
            || t.contains([',', '，', '\n', '\r', '\t'])
            || crate::forbidden_char(t).is_some()
        {
            return Err(KnowledgeError::BadTag(t.chars().take(40).collect()));
        }
        if !out.iter().any(|o| o.to_lowercase() == t.to_lowercase()) {
            out.push(t.to_owned());
        }
    }
    if out.len() > MAX_TAGS {
        return Err(KnowledgeError::TooManyTags);
    }
    Ok(out)
}

/// A decision on a contribution: who may take it is the access policy's; this checks
/// the contribution's side. Returns the points the adoption records (none for a decline).
pub fn decide(
    status: ContributionStatus,
    kind: ContributionKind,
    author_is_decider: bool,
    adopt: bool,
    reason: &str,
    reward: Option<i32>,
) -> Result<Option<i32>, KnowledgeError> {
    if status != ContributionStatus::Proposed {
        return Err(KnowledgeError::AlreadyDecided(status));
    }
    if author_is_decider {
        return Err(KnowledgeError::OwnContribution);
    }
    if reason.trim().is_empty() {
        return Err(KnowledgeError::ReasonRequired);
    }
    if !adopt {
        return Ok(None);
    }
    let points = reward.unwrap_or_else(|| kind.default_reward());
    if !(0..=MAX_REWARD).contains(&points) {
        return Err(KnowledgeError::BadReward(points));
    }
    Ok(Some(points))
}

/// One line of a diff between two texts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DiffKind {
    Same,
    Added,
    Removed,
}

/// The line diff from `old` to `new` (a longest common subsequence of lines: what
/// stayed, what was removed and what was added, in reading order). Texts are at most
/// [`MAX_BODY_CHARS`]; beyond 4,000 lines on a side the middle is shown as replaced.
pub fn line_diff<'a>(old: &'a str, new: &'a str) -> Vec<(DiffKind, &'a str)> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    // Common head and tail first: most edits touch a few lines.
    let head = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let tail = a[head..]
        .iter()
        .rev()
        .zip(b[head..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (ma, mb) = (&a[head..a.len() - tail], &b[head..b.len() - tail]);
    let mut out: Vec<(DiffKind, &str)> = a[..head].iter().map(|l| (DiffKind::Same, *l)).collect();
    if ma.len().saturating_mul(mb.len()) > 4_000 * 4_000 {
        out.extend(ma.iter().map(|l| (DiffKind::Removed, *l)));
        out.extend(mb.iter().map(|l| (DiffKind::Added, *l)));
    } else {
        // lcs[i][j]: the longest common subsequence of ma[i..] and mb[j..].
        let (n, m) = (ma.len(), mb.len());
        let mut lcs = vec![0u32; (n + 1) * (m + 1)];
        for i in (0..n).rev() {
            for j in (0..m).rev() {
                lcs[i * (m + 1) + j] = if ma[i] == mb[j] {
                    lcs[(i + 1) * (m + 1) + j + 1] + 1
                } else {
                    lcs[(i + 1) * (m + 1) + j].max(lcs[i * (m + 1) + j + 1])
                };
            }
        }
        let (mut i, mut j) = (0, 0);
        while i < n || j < m {
            if i < n && j < m && ma[i] == mb[j] {
                out.push((DiffKind::Same, ma[i]));
                i += 1;
                j += 1;
            } else if i < n && (j == m || lcs[(i + 1) * (m + 1) + j] >= lcs[i * (m + 1) + j + 1]) {
                // Removals before additions, as a reader expects a replaced line.
                out.push((DiffKind::Removed, ma[i]));
                i += 1;
            } else {
                out.push((DiffKind::Added, mb[j]));
                j += 1;
            }
        }
    }
    out.extend(a[a.len() - tail..].iter().map(|l| (DiffKind::Same, *l)));
    out
}

/// Whether a query or text is mostly Chinese (decides nothing but the fuzzy matching:
/// typo tolerance is for alphabetic words).
pub fn is_alphabetic_word(w: &str) -> bool {
    !w.is_empty() && w.chars().all(|c| c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_bounded() {
        assert_eq!(
            normalize_tags(&s(&[" 价格 ", "#Price", "price", "", "报价"])).ok(),
            Some(s(&["价格", "Price", "报价"]))
        );
        assert!(matches!(
            normalize_tags(&s(&["a,b"])),
            Err(KnowledgeError::BadTag(_))
        ));
        assert!(matches!(
            normalize_tags(&s(&["价格，报价"])),
            Err(KnowledgeError::BadTag(_))
        ));
        assert!(normalize_tags(&s(&[&"x".repeat(31)])).is_err());
        assert!(normalize_tags(&s(&[&"x".repeat(30)])).is_ok());
        let many: Vec<String> = (0..13).map(|i| format!("t{i}")).collect();
        assert_eq!(normalize_tags(&many), Err(KnowledgeError::TooManyTags));
        assert_eq!(normalize_tags(&many[..12]).map(|v| v.len()), Ok(12));
    }

    #[test]
    fn a_contribution_is_decided_once_by_someone_else_with_a_reason() {
        use ContributionKind::*;
        use ContributionStatus::*;
        assert_eq!(
            decide(Proposed, Edit, false, true, "好", None),
            Ok(Some(20))
        );
        assert_eq!(
            decide(Proposed, NewArticle, false, true, "好", None),
            Ok(Some(50))
        );
        assert_eq!(
            decide(Proposed, Idea, false, true, "好", Some(0)),
            Ok(Some(0))
        );
        assert_eq!(
            decide(Proposed, Idea, false, false, "重复", Some(99)),
            Ok(None)
        );
        assert_eq!(
            decide(Proposed, Idea, false, true, "好", Some(-1)),
            Err(KnowledgeError::BadReward(-1))
        );
        assert_eq!(
            decide(Proposed, Idea, false, true, "好", Some(10_001)),
            Err(KnowledgeError::BadReward(10_001))
        );
        assert_eq!(
            decide(Proposed, Idea, false, true, "  ", None),
            Err(KnowledgeError::ReasonRequired)
        );
        assert_eq!(
            decide(Adopted, Idea, false, false, "x", None),
            Err(KnowledgeError::AlreadyDecided(Adopted))
        );
        assert_eq!(
            decide(Proposed, Idea, true, true, "x", None),
            Err(KnowledgeError::OwnContribution)
        );
    }

    #[test]
    fn the_diff_keeps_order_and_marks_changed_lines() {
        use DiffKind::*;
        let d = line_diff("a\nb\nc\nd", "a\nc\nx\nd");
        assert_eq!(
            d,
            vec![
                (Same, "a"),
                (Removed, "b"),
                (Same, "c"),
                (Added, "x"),
                (Same, "d")
            ]
        );
        assert_eq!(line_diff("", "new"), vec![(Added, "new")]);
        assert_eq!(line_diff("old", ""), vec![(Removed, "old")]);
        assert_eq!(line_diff("same", "same"), vec![(Same, "same")]);
        // A replaced line reads removed, then added.
        assert_eq!(
            line_diff("价格太贵\n结尾", "价格太高\n结尾"),
            vec![(Removed, "价格太贵"), (Added, "价格太高"), (Same, "结尾")]
        );
    }

    #[test]
    fn a_huge_change_is_shown_as_replaced_without_quadratic_work() {
        let old: String = (0..5000).map(|i| format!("o{i}\n")).collect();
        let new: String = (0..5000).map(|i| format!("n{i}\n")).collect();
        let d = line_diff(&old, &new);
        assert_eq!(d.len(), 10_000);
        assert_eq!(d[0], (DiffKind::Removed, "o0"));
        assert_eq!(d[5000], (DiffKind::Added, "n0"));
    }

    #[test]
    fn alphabetic_words_are_ascii() {
        assert!(is_alphabetic_word("price"));
        assert!(is_alphabetic_word("CRM2"));
        assert!(!is_alphabetic_word("价格"));
        assert!(!is_alphabetic_word(""));
    }
}
