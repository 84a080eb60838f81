//! The words of a spreadsheet: each column's header and each coded value (status, stage,
//! metric, …) in Chinese and English beside its code. Exports write the user's language
//! (or the codes, for machines); imports read any of the three, so a file exported in
//! Chinese goes back in as it is, and so does a template filled in by hand.

/// The language of a file's header and words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Zh,
    En,
}

impl Lang {
    /// `zh`, `zh-CN`, `en`, `en-US`, … (case-insensitive); anything else is none.
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        let primary = s.split(['-', '_']).next().unwrap_or_default();
        match primary {
            "zh" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }
}

/// Every column a file of Dudao's has: code, Chinese header, English header. Headers are
/// unique across the table, so a header names one column whatever the kind of file.
pub const COLUMNS: &[(&str, &str, &str)] = &[
    ("id", "编号", "ID"),
    ("name", "名称", "Name"),
    ("industry", "行业", "Industry"),
    ("owner_rep_id", "负责人编号", "Owner rep ID"),
    ("city", "城市", "City"),
    ("address", "地址", "Address"),
    ("external_code", "外部编码", "External code"),
    ("owner_employee_no", "负责人工号", "Owner employee no."),
    ("owner_name", "负责人", "Owner"),
    ("customer_id", "客户编号", "Customer ID"),
    ("customer_code", "客户编码", "Customer code"),
    ("customer_name", "客户名称", "Customer name"),
    ("rep_id", "销售代表编号", "Rep ID"),
    ("rep_employee_no", "销售代表工号", "Rep employee no."),
    ("rep_name", "销售代表", "Rep"),
    ("ordered_on", "下单日期", "Ordered on"),
    ("amount", "金额", "Amount"),
    ("status", "状态", "Status"),
    ("due_on", "应收日期", "Due on"),
    ("order_id", "订单编号", "Order ID"),
    ("paid_on", "回款日期", "Paid on"),
    ("stage", "阶段", "Stage"),
    ("created_on", "创建日期", "Created on"),
    ("closed_on", "关闭日期", "Closed on"),
    ("lost_reason", "输单原因", "Lost reason"),
    ("metric", "指标", "Metric"),
    ("scope_kind", "范围类型", "Scope kind"),
    ("scope_id", "范围编号", "Scope ID"),
    ("period_kind", "周期类型", "Period kind"),
    ("year", "年份", "Year"),
    ("index", "期序", "Period index"),
    ("value", "目标值", "Target value"),
    ("rule", "预警类型", "Rule"),
    ("region_name", "区域", "Region"),
    ("subject_on", "对象日期", "Subject date"),
    ("observed", "实际值", "Observed"),
    ("expected", "预期值", "Expected"),
    ("score", "评分", "Score"),
    ("raised_on", "触发日期", "Raised on"),
    ("acknowledged_at", "确认时间", "Acknowledged at"),
    ("resolved_at", "解决时间", "Resolved at"),
    ("note", "备注", "Note"),
    ("subject_name", "被评估人", "Evaluated"),
    ("period_start", "期初", "Period start"),
    ("evaluation_status", "评估状态", "Evaluation status"),
    ("total_score", "总分", "Total"),
    ("grade", "等级", "Grade"),
    ("result_score", "结果分", "Result score"),
    ("process_score", "过程分", "Process score"),
    ("capability_score", "能力分", "Capability score"),
    ("evaluator_name", "评估人", "Evaluator"),
    ("evaluation_due_on", "评估截止日期", "Evaluation due"),
    ("finalized_at", "定稿时间", "Finalized at"),
    ("surveyed_on", "调查日期", "Surveyed on"),
    ("comment", "意见", "Comment"),
];

/// The coded values of a column: column, code, Chinese, English.
pub const WORDS: &[(&str, &str, &str, &str)] = &[
    ("status", "CONFIRMED", "已确认", "Confirmed"),
    ("status", "CANCELLED", "已取消", "Cancelled"),
    ("stage", "LEAD", "线索", "Lead"),
    ("stage", "CONTACTED", "已接触", "Contacted"),
    ("stage", "NEEDS_ANALYSIS", "需求分析", "Needs analysis"),
    ("stage", "PROPOSAL", "方案报价", "Proposal"),
    ("stage", "NEGOTIATION", "商务谈判", "Negotiation"),
    ("stage", "WON", "赢单", "Won"),
    ("stage", "LOST", "输单", "Lost"),
    ("metric", "SALES", "销售额", "Sales"),
    ("metric", "COLLECTION", "回款", "Collection"),
    ("metric", "NEW_CUSTOMERS", "新客户", "New customers"),
    ("scope_kind", "COMPANY", "全公司", "Company"),
    ("scope_kind", "REGION", "区域", "Region"),
    ("scope_kind", "REP", "销售代表", "Rep"),
    ("period_kind", "MONTH", "月度", "Month"),
    ("period_kind", "QUARTER", "季度", "Quarter"),
    ("period_kind", "YEAR", "年度", "Year"),
    ("rule", "TARGET_SHORTFALL", "目标缺口", "Target shortfall"),
    ("rule", "CHURN_RISK", "流失风险", "Churn risk"),
    ("rule", "LOW_SATISFACTION", "满意度低", "Low satisfaction"),
    ("rule", "OVERDUE_PAYMENT", "回款逾期", "Overdue payment"),
    (
        "rule",
        "OVERDUE_ACTIONS",
        "行动项逾期",
        "Overdue action items",
    ),
    ("alert_status", "OPEN", "待处理", "Open"),
    ("alert_status", "ACKNOWLEDGED", "已确认", "Acknowledged"),
    ("alert_status", "RESOLVED", "已解决", "Resolved"),
    ("evaluation_status", "DRAFT", "草稿", "Draft"),
    ("evaluation_status", "SUBMITTED", "已提交", "Submitted"),
    ("evaluation_status", "FINALIZED", "已定稿", "Finalized"),
    // The kinds of file, for sheet and file names.
    ("kind", "customers", "客户", "customers"),
    ("kind", "orders", "订单", "orders"),
    ("kind", "payments", "回款", "payments"),
    ("kind", "opportunities", "商机", "opportunities"),
    ("kind", "targets", "目标", "targets"),
    ("kind", "alerts", "预警", "alerts"),
    ("kind", "evaluations", "评估", "evaluations"),
    ("kind", "surveys", "满意度调查", "surveys"),
    (
        "kind",
        "promotion-candidates",
        "晋升候选人",
        "promotion-candidates",
    ),
];

/// The columns whose cells an import reads as words of [`WORDS`].
pub const WORDED: [&str; 5] = ["status", "stage", "metric", "scope_kind", "period_kind"];

/// A column's header in `lang`; the code itself when `lang` is none (for machines) or
/// the column is not in [`COLUMNS`].
pub fn header(code: &str, lang: Option<Lang>) -> &str {
    let Some(lang) = lang else { return code };
    COLUMNS
        .iter()
        .find(|(c, _, _)| *c == code)
        .map_or(code, |(_, zh, en)| match lang {
            Lang::Zh => zh,
            Lang::En => en,
        })
}

/// The column a header cell names: its code, Chinese or English header, in any case, with
/// a trailing `*` (required, as templates mark it) and spaces ignored. Unknown headers
/// are returned as they are (lower-cased), so that an error can name them.
pub fn code_of_header(cell: &str) -> String {
    let h = cell
        .trim()
        .trim_start_matches('\u{feff}')
        .trim_end_matches(['*', '＊'])
        .trim();
    let lower = h.to_lowercase();
    COLUMNS
        .iter()
        .find(|(c, zh, en)| *c == lower || *zh == h || en.to_lowercase() == lower)
        .map_or(lower, |(c, _, _)| (*c).to_owned())
}

/// A coded value of `column` in `lang` (the code when `lang` is none or the value unknown).
pub fn word<'a>(column: &str, code: &'a str, lang: Option<Lang>) -> &'a str {
    let Some(lang) = lang else { return code };
    WORDS
        .iter()
        .find(|(col, c, _, _)| *col == column && *c == code)
        .map_or(code, |(_, _, zh, en)| match lang {
            Lang::Zh => zh,
            Lang::En => en,
        })
}

/// The code a cell of `column` means when it holds a word of [`WORDS`] (Chinese or
/// English, any case); none when it is not one (the cell is then read as it is).
pub fn code_of_word(column: &str, cell: &str) -> Option<&'static str> {
    let lower = cell.trim().to_lowercase();
    WORDS
        .iter()
        .find(|(col, _, zh, en)| {
            *col == column && (*zh == cell.trim() || en.to_lowercase() == lower)
        })
        .map(|(_, c, _, _)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_unique_in_each_language() {
        for (i, a) in COLUMNS.iter().enumerate() {
            for b in &COLUMNS[..i] {
                assert_ne!(a.0, b.0);
                assert_ne!(a.1, b.1, "{} / {}", a.0, b.0);
                assert_ne!(a.2.to_lowercase(), b.2.to_lowercase(), "{} / {}", a.0, b.0);
            }
        }
    }

    #[test]
    fn every_header_reads_back_as_its_code() {
        for (code, zh, en) in COLUMNS {
            for h in [
                *code,
                *zh,
                *en,
                &en.to_uppercase(),
                &format!(" {zh}* "),
                &format!("{code}*"),
            ] {
                assert_eq!(code_of_header(h), *code, "{h:?}");
            }
            assert_eq!(header(code, Some(Lang::Zh)), *zh);
            assert_eq!(header(code, Some(Lang::En)), *en);
            assert_eq!(header(code, None), *code);
        }
        assert_eq!(code_of_header("\u{feff}Amount"), "amount");
        assert_eq!(code_of_header("Remarks"), "remarks");
    }

    #[test]
    fn words_read_back_as_codes() {
        for (col, code, zh, en) in WORDS {
            assert_eq!(word(col, code, Some(Lang::Zh)), *zh);
            assert_eq!(word(col, code, Some(Lang::En)), *en);
            assert_eq!(word(col, code, None), *code);
            assert_eq!(code_of_word(col, zh), Some(*code));
            assert_eq!(code_of_word(col, &en.to_lowercase()), Some(*code));
        }
        // A word of another column is not taken.
        assert_eq!(code_of_word("status", "赢单"), None);
        assert_eq!(word("status", "SHIPPED", Some(Lang::Zh)), "SHIPPED");
    }

    #[test]
    fn languages_parse_from_tags() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("EN_us"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
