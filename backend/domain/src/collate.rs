//! How people's and customers' names sort (姓名排序): Chinese by pinyin, as a Chinese
//! reader expects (阿里 < 陈 < 李 < 刘 < 王 < 张), not by code point (which puts 张 before
//! 李 because U+5F20 < U+674E).
//!
//! PostgreSQL sorts with ICU's `zh-u-co-pinyin` collation (migration 16 creates it as
//! `pinyin`); SQLite has no ICU, so the server registers [`pinyin_cmp`] under the same
//! name, and [`pinyin_cmp`] is the same CLDR collation through ICU4X (`icu_collator`, the
//! Unicode Consortium's Rust ICU, data compiled in). Both read a character with several
//! readings alike (重庆 as chóng, 长沙 as zhǎng), which a pinyin table of our own would not.

use std::cmp::Ordering;
use std::sync::LazyLock;

use icu_collator::options::CollatorOptions;
use icu_collator::{Collator, CollatorBorrowed};
use icu_locale::locale;

static PINYIN: LazyLock<Option<CollatorBorrowed<'static>>> = LazyLock::new(|| {
    Collator::try_new(locale!("zh-u-co-pinyin").into(), CollatorOptions::default()).ok()
});

/// Compares two names as the `pinyin` collation does (code points if the collation data
/// were missing, which compiled data rules out).
pub fn pinyin_cmp(a: &str, b: &str) -> Ordering {
    match PINYIN.as_ref() {
        Some(c) => c.compare(a, b).then_with(|| a.cmp(b)),
        None => a.cmp(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sorted(names: &[&'static str]) -> Vec<&'static str> {
        let mut v = names.to_vec();
        v.sort_by(|a, b| pinyin_cmp(a, b));
        v
    }

    /// The order PostgreSQL's ICU `zh-u-co-pinyin` gives for the same names (checked by
    /// hand with `ORDER BY n COLLATE pinyin`, and by the e2e test on both databases).
    #[test]
    fn chinese_names_sort_by_pinyin_before_latin() {
        assert_eq!(
            sorted(&[
                "张伟",
                "李娜",
                "王芳",
                "陈静",
                "赵磊",
                "刘洋",
                "阿里巴巴",
                "Apple",
                "bob",
                "123",
                "Zed",
                "吕布",
                "卢"
            ]),
            [
                "123",
                "阿里巴巴",
                "陈静",
                "李娜",
                "刘洋",
                "卢",
                "吕布",
                "王芳",
                "张伟",
                "赵磊",
                "Apple",
                "bob",
                "Zed"
            ]
        );
    }

    #[test]
    fn each_character_has_its_place_and_a_shorter_name_comes_first() {
        assert_eq!(sorted(&["李娜娜", "李娜"]), ["李娜", "李娜娜"]);
        // 黎 (lí) before 李 (lǐ) whatever follows: 黎明 before 李记, as ICU has it.
        assert_eq!(sorted(&["李记商行", "黎明电器"]), ["黎明电器", "李记商行"]);
        // 重庆 is chóng (between 成都 and 东莞), 长沙 zhǎng (before 郑州).
        assert_eq!(
            sorted(&["郑州", "重庆", "东莞", "成都", "长沙"]),
            ["成都", "重庆", "东莞", "长沙", "郑州"]
        );
        assert_eq!(pinyin_cmp("华东", "华东"), Ordering::Equal);
        assert_eq!(sorted(&["b", "A", "a"]), ["a", "A", "b"]);
    }
}
