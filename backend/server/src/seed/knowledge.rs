//! Demo knowledge base: articles of every category and the objection-handling scripts
//! (the price objection among them, in Chinese and English), written through the service
//! by the director and the supervisors (so each has its versions), a second version of
//! the price script, six months of reading by the reps (some regions read much more than
//! others, for the usage report), helpful votes, and contributions (金点子) proposed,
//! adopted with a reward and declined. Also [`generate`]: any number of articles for the
//! large set and the search benchmark.

use chrono::{Duration, Utc};
use dudao_domain::knowledge::{Category, ContributionKind, Scenario};
use dudao_domain::{Role, Viewer};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entity::{Stored, article, article_tag, article_version, rep, user};
use crate::service::knowledge as kb;

pub const PRICE_SCRIPT_TITLE: &str = "价格异议应对话术（客户说“价格太贵”）";

const PRICE_SCRIPT: &str = "## 场景\n\n客户说：“你们的价格太贵了，别家便宜 20%。”这是最常见的异议，\
往往不是真的买不起，而是还没看到价值。\n\n## 应对步骤\n\n1. **先认同，不争辩**：“理解，价格确实是要认真考虑的。”\n\
2. **问清比较对象**：“您是和哪一家、哪个配置比较的？”\n3. **算总账**：把三年的使用成本、维护费和停机损失算给客户看，\
不只比报价。\n4. **给选择**：标准版与专业版对比，让客户在我们的方案之间选择。\n5. **确认下一步**：约定试用或演示的时间。\n\n\
## 不要做的\n\n- 第一次异议就降价\n- 贬低竞品\n\n## English\n\nWhen the customer says *\"your price is too expensive\"*: \
acknowledge, ask what they compare with, show the total cost of ownership over three years, offer a choice \
between our editions, and agree on the next step (a trial or a demo). Never discount at the first objection.";

const PRICE_SCRIPT_V2_EXTRA: &str = "\n\n## 案例\n\n华东区张伟用“三年总成本”表格说服了一家制造企业：\
报价高 15%，但维护费低 40%，客户当场同意试用。";

struct Demo {
    title: &'static str,
    category: Category,
    scenario: Option<Scenario>,
    tags: &'static [&'static str],
    body: &'static str,
}

const ARTICLES: &[Demo] = &[
    Demo {
        title: "决策链复杂时如何推进",
        category: Category::Customer,
        scenario: Some(Scenario::ComplexDecisionChain),
        tags: &["异议处理", "决策链", "大客户"],
        body: "## 场景\n\n客户说：“这事我一个人定不了，要采购、财务和老板一起看。”\n\n## 应对\n\n1. 画出决策地图：谁提需求、谁评估、谁拍板、谁付款。\n2. 请联系人带你见关键人，准备一页纸的价值说明给每个角色。\n3. 约一次联合演示，把各方的顾虑放在同一张桌子上解决。\n\nMap the buying committee, give each role a one-page value summary, and run one joint demo.",
    },
    Demo {
        title: "竞品对比：客户拿竞品报价压价",
        category: Category::Customer,
        scenario: Some(Scenario::CompetitorComparison),
        tags: &["异议处理", "竞品"],
        body: "客户说：“某某家功能差不多，还便宜。”\n\n- 不贬低竞品，只讲差异：服务响应时间、本地化团队、行业案例。\n- 用对比表逐项列出，请客户确认哪几项对他最重要。\n- 邀请客户与我们的老客户通话。\n\nCompare on what the customer values most; never attack the competitor.",
    },
    Demo {
        title: "客户需求不明确时的提问清单",
        category: Category::Customer,
        scenario: Some(Scenario::NeedUnclear),
        tags: &["需求挖掘", "SPIN"],
        body: "用 SPIN 提问：\n\n1. 现状（Situation）：现在怎么做？\n2. 问题（Problem）：哪里最费时间？\n3. 影响（Implication）：这个问题每月损失多少？\n4. 需求回报（Need-payoff）：如果解决了，对您意味着什么？\n\nAsk situation, problem, implication and need-payoff questions before presenting anything.",
    },
    Demo {
        title: "客户说“再考虑考虑”",
        category: Category::Customer,
        scenario: Some(Scenario::DelayedDecision),
        tags: &["异议处理", "跟进"],
        body: "“再考虑考虑”通常意味着还有没说出口的顾虑。\n\n- 问：“您主要还在考虑哪一点？价格、效果还是时间？”\n- 给一个有期限的理由：本季度的实施排期、试用名额。\n- 约定具体的下次联系时间，写进拜访记录。\n\nWhen the customer wants to think it over, find the real concern and agree on a dated next step.",
    },
    Demo {
        title: "建立信任：第一次拜访的五件事",
        category: Category::Customer,
        scenario: Some(Scenario::TrustConcern),
        tags: &["拜访", "信任"],
        body: "1. 准时，提前了解客户的行业和近况。\n2. 先听后说，记录客户原话。\n3. 带一个同行业的成功案例。\n4. 不承诺做不到的事。\n5. 24 小时内发送拜访纪要。\n\nBe on time, listen first, bring a case from the same industry, promise only what you can keep, send notes within a day.",
    },
    Demo {
        title: "标准版与专业版的区别",
        category: Category::Product,
        scenario: None,
        tags: &["产品", "报价"],
        body: "| 项目 | 标准版 | 专业版 |\n|---|---|---|\n| 用户数 | 50 | 不限 |\n| 服务响应 | 8 小时 | 2 小时 |\n| 数据接口 | 无 | 开放 API |\n\nThe professional edition adds unlimited users, a 2-hour response and an open API.",
    },
    Demo {
        title: "新产品上市培训要点",
        category: Category::Product,
        scenario: None,
        tags: &["产品", "培训"],
        body: "## 三句话介绍\n\n1. 解决什么问题\n2. 和老产品的区别\n3. 适合哪类客户\n\n## 常见问题\n\n- 老客户能否升级：可以，按差价计算。\n- 交付周期：标准配置 2 周。",
    },
    Demo {
        title: "产品常见故障与处理",
        category: Category::Product,
        scenario: None,
        tags: &["产品", "售后"],
        body: "- 无法登录：先确认账号是否被停用，再重置密码。\n- 数据不同步：检查网络和接口日志。\n- 报表为空：确认筛选条件与时间段。\n\nCheck the account, then the network, then the filters.",
    },
    Demo {
        title: "报价审批流程",
        category: Category::Process,
        scenario: None,
        tags: &["流程", "报价", "审批"],
        body: "1. 代表在系统中提交报价单。\n2. 折扣 ≤ 5% 督导审批；5%–15% 区域经理审批；> 15% 总监审批。\n3. 审批通过后 24 小时内发给客户。\n\nDiscounts up to 5% are approved by the supervisor, up to 15% by the regional manager, beyond by the director.",
    },
    Demo {
        title: "签约与付款条件检查清单",
        category: Category::Process,
        scenario: None,
        tags: &["流程", "回款", "合同"],
        body: "签约前逐项确认：\n\n- [ ] 付款节点写明（预付、验收、尾款）\n- [ ] 验收标准写明\n- [ ] 开票信息已核对\n- [ ] 财务已确认信用额度\n\nEvery contract states its payment milestones and acceptance criteria.",
    },
    Demo {
        title: "拜访记录怎么写",
        category: Category::Process,
        scenario: None,
        tags: &["流程", "拜访", "CRM"],
        body: "每次拜访当天录入：见了谁、客户原话、达成的下一步、下次联系时间。\n\n观察—反馈—确认：督导陪访后按这三步给反馈。\n\nLog who you met, what they said, the agreed next step and the next contact date, on the day.",
    },
    Demo {
        title: "回款跟进节奏",
        category: Category::Process,
        scenario: None,
        tags: &["回款", "流程"],
        body: "- 到期前 7 天：提醒客户付款计划。\n- 到期当天：确认付款进度。\n- 逾期 30 天：督导介入。\n- 逾期 60 天：区域经理与客户高层沟通。",
    },
    Demo {
        title: "成功案例：三年总成本说服制造企业",
        category: Category::Case,
        scenario: Some(Scenario::PriceSensitive),
        tags: &["案例", "成功", "价格"],
        body: "客户觉得报价高 15%。代表没有降价，而是和客户一起算了三年的总成本：维护费低 40%，停机时间少一半。\n\n结果：客户同意试用，两个月后签约。\n\n**可复制的做法**：准备行业版的总成本计算表。",
    },
    Demo {
        title: "失败案例：过早降价丢了利润也丢了单",
        category: Category::Case,
        scenario: Some(Scenario::PriceSensitive),
        tags: &["案例", "失败", "价格"],
        body: "客户第一次说贵，代表当场降价 10%。客户认为还有空间，继续压价，最后选择了竞品。\n\n**复盘**：降价没有换来任何承诺；应先问清比较对象、讲清价值，再用选择代替让步。",
    },
    Demo {
        title: "成功案例：通过联合演示打通决策链",
        category: Category::Case,
        scenario: Some(Scenario::ComplexDecisionChain),
        tags: &["案例", "成功", "决策链"],
        body: "一家连锁零售客户涉及 5 个部门。代表请 IT 负责人牵头组织联合演示，会上逐一回答财务和门店的问题，一周内拿到了采购意向。",
    },
    Demo {
        title: "失败案例：忽视技术负责人",
        category: Category::Case,
        scenario: Some(Scenario::ComplexDecisionChain),
        tags: &["案例", "失败"],
        body: "代表只和采购沟通，技术负责人在最后评审时否决了方案。\n\n**教训**：在决策地图上标出每个有否决权的人。",
    },
    Demo {
        title: "Handling \"we need to think about it\"",
        category: Category::Customer,
        scenario: Some(Scenario::DelayedDecision),
        tags: &["objection", "follow-up"],
        body: "Ask which part they are still weighing: price, results or timing. Offer a reason to decide now (the quarter's implementation slots) and agree on a dated next step.",
    },
    Demo {
        title: "Competitor comparison checklist",
        category: Category::Customer,
        scenario: Some(Scenario::CompetitorComparison),
        tags: &["objection", "competitor"],
        body: "- Response time of support\n- Local implementation team\n- References in the same industry\n- Total cost over three years\n\nLet the customer rank what matters; compare only on those.",
    },
    Demo {
        title: "Onboarding a new rep: the first 30 days",
        category: Category::Process,
        scenario: None,
        tags: &["onboarding", "training"],
        body: "Week 1: product and process. Week 2: ride-alongs with a senior rep. Week 3: first own visits with the supervisor. Week 4: first review with the supervisor.",
    },
    Demo {
        title: "客户分层与拜访频率",
        category: Category::Customer,
        scenario: None,
        tags: &["客户分层", "拜访"],
        body: "A 类客户（贡献前 80% 销售）每两周拜访一次；B 类每月一次；C 类每季度一次或电话维护。",
    },
];

async fn first_user(
    db: &DatabaseConnection,
    role: Role,
    email: Option<&str>,
) -> anyhow::Result<Option<user::Model>> {
    let mut q = user::Entity::find().filter(user::Column::Role.eq(Stored(role)));
    if let Some(e) = email {
        q = q.filter(user::Column::Email.eq(e));
    }
    Ok(q.order_by_asc(user::Column::Id).one(db).await?)
}

pub async fn demo(db: &DatabaseConnection) -> anyhow::Result<()> {
    let Some(director) = first_user(db, Role::Director, None).await? else {
        return Ok(());
    };
    let dv = Viewer {
        user_id: director.id,
        role: Role::Director,
    };
    let supervisors = user::Entity::find()
        .filter(user::Column::Role.eq(Stored(Role::Supervisor)))
        .order_by_asc(user::Column::Id)
        .all(db)
        .await?;
    let mut rng = StdRng::seed_from_u64(20_261_206);
    let e = crate::error::AppError::into_anyhow;
    let price = kb::save(
        db,
        &dv,
        kb::ArticleInput {
            id: None,
            version: None,
            title: PRICE_SCRIPT_TITLE.into(),
            body: PRICE_SCRIPT.into(),
            category: Category::Customer,
            scenario: Some(Scenario::PriceSensitive),
            tags: vec!["异议处理".into(), "价格".into(), "price".into()],
            note: None,
        },
    )
    .await
    .map_err(e)?;
    for (i, a) in ARTICLES.iter().enumerate() {
        // Written by the director and the supervisors in turn.
        let v = match supervisors.get(i % (supervisors.len() + 1)) {
            Some(s) => Viewer {
                user_id: s.id,
                role: Role::Supervisor,
            },
            None => dv,
        };
        kb::save(
            db,
            &v,
            kb::ArticleInput {
                id: None,
                version: None,
                title: a.title.into(),
                body: a.body.into(),
                category: a.category,
                scenario: a.scenario,
                tags: a.tags.iter().map(|t| (*t).to_owned()).collect(),
                note: None,
            },
        )
        .await
        .map_err(e)?;
    }
    // The price script's second version: a case added.
    kb::save(
        db,
        &dv,
        kb::ArticleInput {
            id: Some(price.id),
            version: Some(price.version),
            title: price.title.clone(),
            body: format!("{PRICE_SCRIPT}{PRICE_SCRIPT_V2_EXTRA}"),
            category: Category::Customer,
            scenario: Some(Scenario::PriceSensitive),
            tags: vec![
                "异议处理".into(),
                "价格".into(),
                "price".into(),
                "案例".into(),
            ],
            note: Some("补充华东区的成功案例 / added a case from East".into()),
        },
    )
    .await
    .map_err(e)?;

    // Six months of reading: each region reads at its own rate.
    let articles: Vec<i32> = article::Entity::find()
        .order_by_asc(article::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|a| a.id)
        .collect();
    let reps = rep::Entity::find().all(db).await?;
    let today = crate::clock::today();
    let mut views: Vec<String> = Vec::new();
    let mut votes: Vec<String> = Vec::new();
    for r in &reps {
        let Some(uid) = r.user_id else { continue };
        let appetite: f64 =
            [1.6, 0.4, 1.0, 0.7, 1.3, 0.2][usize::try_from(r.region_id).unwrap_or(0) % 6];
        let n = (rng.random_range(5.0..40.0) * appetite) as usize;
        let mut seen = std::collections::HashSet::new();
        for _ in 0..n {
            let a = articles[rng.random_range(0..articles.len())];
            let d = today - Duration::days(rng.random_range(0..180));
            if seen.insert((a, d)) {
                views.push(format!("({a}, {uid}, '{}')", crate::service::sql_date(d)));
            }
        }
        for a in &articles {
            if !rng.random_bool(0.15 * appetite.min(1.0)) {
                continue;
            }
            let helpful = rng.random_bool(0.85);
            let at = Utc::now() - Duration::days(rng.random_range(0..180));
            // As sqlx writes timestamps on SQLite (RFC 3339), and PostgreSQL reads it.
            let at = format!("'{}'", at.to_rfc3339());
            votes.push(format!("({a}, {uid}, {helpful}, {at})"));
        }
    }
    for chunk in views.chunks(500) {
        db.execute_unprepared(&format!(
            "INSERT INTO article_views (article_id, user_id, day) VALUES {}",
            chunk.join(", ")
        ))
        .await?;
    }
    for chunk in votes.chunks(500) {
        db.execute_unprepared(&format!(
            "INSERT INTO article_votes (article_id, user_id, helpful, voted_at) VALUES {}",
            chunk.join(", ")
        ))
        .await?;
    }
    db.execute_unprepared(
        "UPDATE articles SET \
           views = (SELECT COUNT(*) FROM article_views v WHERE v.article_id = articles.id), \
           helpful = (SELECT COUNT(*) FROM article_votes v WHERE v.article_id = articles.id AND v.helpful = true), \
           not_helpful = (SELECT COUNT(*) FROM article_votes v WHERE v.article_id = articles.id AND v.helpful = false)",
    )
    .await?;

    // Contributions: rep.east1 proposes an improvement still waiting; others adopted
    // with a reward, and one declined.
    let Some(east1) = first_user(db, Role::Rep, Some("rep.east1@dudao.demo")).await? else {
        return Ok(());
    };
    let rv = Viewer {
        user_id: east1.id,
        role: Role::Rep,
    };
    let east2 = first_user(db, Role::Rep, Some("rep.east2@dudao.demo")).await?;
    let sup_east = first_user(db, Role::Supervisor, Some("supervisor.east@dudao.demo")).await?;
    kb::propose(
        db,
        &rv,
        kb::ProposeInput {
            kind: ContributionKind::Idea,
            article_id: None,
            title: "拜访记录加一个“客户原话”字段".into(),
            body: "督导陪访后的反馈经常需要客户原话，建议在拜访记录里单独加一个字段。".into(),
            category: None,
            scenario: None,
            tags: vec!["拜访".into()],
        },
    )
    .await
    .map_err(e)?;
    if let (Some(east2), Some(sup)) = (east2, sup_east) {
        let r2 = Viewer {
            user_id: east2.id,
            role: Role::Rep,
        };
        let sv = Viewer {
            user_id: sup.id,
            role: Role::Supervisor,
        };
        let adopted = kb::propose(
            db,
            &r2,
            kb::ProposeInput {
                kind: ContributionKind::NewArticle,
                article_id: None,
                title: "客户说“预算用完了”怎么办".into(),
                body: "1. 问清下一次预算的时间。\n2. 提出分期或先试点的方案。\n3. 帮客户准备明年预算申请的材料。\n\nWhen the budget is spent: ask when the next one opens, offer a pilot or instalments, and help prepare next year's budget request.".into(),
                category: Some(Category::Customer),
                scenario: Some(Scenario::DelayedDecision),
                tags: vec!["异议处理".into(), "预算".into()],
            },
        )
        .await
        .map_err(e)?;
        kb::decide(
            db,
            &sv,
            kb::DecideInput {
                id: adopted.id,
                version: adopted.version,
                adopt: true,
                reason: "很实用，已加入话术库 / useful, added to the scripts".into(),
                reward: None,
            },
        )
        .await
        .map_err(e)?;
        let declined = kb::propose(
            db,
            &r2,
            kb::ProposeInput {
                kind: ContributionKind::Idea,
                article_id: None,
                title: "每周例会改成线上".into(),
                body: "大家在外拜访，线上例会更省时间。".into(),
                category: None,
                scenario: None,
                tags: vec![],
            },
        )
        .await
        .map_err(e)?;
        kb::decide(
            db,
            &sv,
            kb::DecideInput {
                id: declined.id,
                version: declined.version,
                adopt: false,
                reason: "例会需要当面陪练，暂不改 / the weekly role-play needs to be in person"
                    .into(),
                reward: None,
            },
        )
        .await
        .map_err(e)?;
    }
    Ok(())
}

const ZH_TOPICS: &[&str] = &[
    "价格",
    "报价",
    "折扣",
    "回款",
    "合同",
    "试用",
    "演示",
    "决策链",
    "竞品",
    "预算",
    "交付",
    "售后",
    "续约",
    "拜访",
    "需求",
    "方案",
    "招标",
    "验收",
    "培训",
    "案例",
];
const ZH_PRODUCTS: &[&str] = &[
    "标准版",
    "专业版",
    "企业版",
    "云服务",
    "数据接口",
    "移动端",
    "报表模块",
    "实施服务",
];
const ZH_SENTENCES: &[&str] = &[
    "客户关心的是三年的总成本，而不只是报价。",
    "先认同客户的顾虑，再问清比较的对象。",
    "把决策地图画出来，标出每个有否决权的人。",
    "拜访后 24 小时内发送纪要，并确认下一步。",
    "用同行业的成功案例建立信任。",
    "折扣审批按金额分级，超过权限要提前申请。",
    "逾期超过 30 天的应收款由督导介入跟进。",
    "试用期间每周回访一次，记录使用情况。",
    "不要在第一次异议时就降价。",
    "把客户原话写进拜访记录，方便督导反馈。",
    "联合演示能把各部门的问题放在同一张桌子上解决。",
    "续约前三个月开始准备价值回顾报告。",
];
const EN_TOPICS: &[&str] = &[
    "pricing",
    "discount",
    "payment",
    "contract",
    "trial",
    "demo",
    "procurement",
    "competitor",
    "budget",
    "delivery",
    "support",
    "renewal",
    "visit",
    "requirements",
    "proposal",
    "tender",
];
const EN_SENTENCES: &[&str] = &[
    "Customers care about the total cost of ownership, not only the quoted price.",
    "Acknowledge the concern first, then ask what they compare with.",
    "Map the buying committee and mark everyone who can veto.",
    "Send visit notes within a day and confirm the next step.",
    "A reference from the same industry builds trust faster than any brochure.",
    "Never discount at the first objection.",
    "Overdue receivables beyond thirty days are followed up by the supervisor.",
    "During a trial, call the customer every week and log the usage.",
];

/// `n` generated articles (two in three Chinese, one in three English) with a version
/// each, written in batches: the large set's knowledge base and the search benchmark's.
pub async fn generate<C: ConnectionTrait>(
    db: &C,
    n: usize,
    seed: u64,
    progress: &super::Progress,
) -> anyhow::Result<()> {
    let mut rng = StdRng::seed_from_u64(seed);
    let now = Utc::now();
    let cats = [
        Category::Product,
        Category::Customer,
        Category::Process,
        Category::Case,
    ];
    let scenarios = [
        Scenario::PriceSensitive,
        Scenario::ComplexDecisionChain,
        Scenario::CompetitorComparison,
        Scenario::NeedUnclear,
        Scenario::DelayedDecision,
        Scenario::TrustConcern,
    ];
    let next_id: i64 = {
        use sea_orm::{FromQueryResult, Statement};
        #[derive(FromQueryResult)]
        struct M {
            m: Option<i64>,
        }
        M::find_by_statement(Statement::from_string(
            db.get_database_backend(),
            "SELECT CAST(MAX(id) AS BIGINT) AS m FROM articles",
        ))
        .one(db)
        .await?
        .and_then(|r| r.m)
        .unwrap_or(0)
    };
    let mut done = 0;
    while done < n {
        let batch = (n - done).min(400);
        let mut arts = Vec::with_capacity(batch);
        let mut versions = Vec::with_capacity(batch);
        let mut tags = Vec::new();
        for k in 0..batch {
            let id = i32::try_from(next_id + (done + k) as i64 + 1)?;
            let english = rng.random_ratio(1, 3);
            let (title, body, t): (String, String, Vec<String>) = if english {
                let a = EN_TOPICS[rng.random_range(0..EN_TOPICS.len())];
                let b = EN_TOPICS[rng.random_range(0..EN_TOPICS.len())];
                let body: Vec<&str> = (0..rng.random_range(4..12))
                    .map(|_| EN_SENTENCES[rng.random_range(0..EN_SENTENCES.len())])
                    .collect();
                (
                    format!("Notes on {a} and {b} #{id}"),
                    body.join(" "),
                    if a == b {
                        vec![a.to_owned()]
                    } else {
                        vec![a.to_owned(), b.to_owned()]
                    },
                )
            } else {
                let a = ZH_TOPICS[rng.random_range(0..ZH_TOPICS.len())];
                let p = ZH_PRODUCTS[rng.random_range(0..ZH_PRODUCTS.len())];
                let b = ZH_TOPICS[rng.random_range(0..ZH_TOPICS.len())];
                let body: Vec<&str> = (0..rng.random_range(4..14))
                    .map(|_| ZH_SENTENCES[rng.random_range(0..ZH_SENTENCES.len())])
                    .collect();
                (
                    format!("{p}的{a}与{b}要点（第 {id} 篇）"),
                    body.join(""),
                    if a == b {
                        vec![a.to_owned()]
                    } else {
                        vec![a.to_owned(), b.to_owned()]
                    },
                )
            };
            let category = cats[rng.random_range(0..cats.len())];
            let scenario = rng
                .random_bool(0.3)
                .then(|| scenarios[rng.random_range(0..scenarios.len())]);
            let tags_json = serde_json::to_string(&t)?;
            arts.push(article::ActiveModel {
                id: Set(id),
                title: Set(title.clone()),
                body: Set(body.clone()),
                category: Set(category.into()),
                scenario: Set(scenario.map(Into::into)),
                tags: Set(tags_json.clone()),
                author_id: Set(None),
                version: Set(1),
                archived: Set(false),
                views: Set(0),
                helpful: Set(rng.random_range(0..50)),
                not_helpful: Set(rng.random_range(0..5)),
                created_at: Set(now),
                updated_at: Set(now),
            });
            versions.push(article_version::ActiveModel {
                article_id: Set(id),
                version: Set(1),
                title: Set(title),
                body: Set(body),
                category: Set(category.into()),
                scenario: Set(scenario.map(Into::into)),
                tags: Set(tags_json),
                editor_id: Set(None),
                note: Set(None),
                created_at: Set(now),
            });
            for tag in t {
                tags.push(article_tag::ActiveModel {
                    article_id: Set(id),
                    tag: Set(tag),
                });
            }
        }
        article::Entity::insert_many(arts).exec(db).await?;
        article_version::Entity::insert_many(versions)
            .exec(db)
            .await?;
        article_tag::Entity::insert_many(tags).exec(db).await?;
        done += batch;
        progress.step("articles", done, n);
    }
    crate::db::fix_sequence(db, "articles").await?;
    Ok(())
}
