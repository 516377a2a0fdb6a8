//! People's and units' names in the order Chinese readers look them up: by 拼音, as a
//! dictionary or a roster printed by hand lists them (李 before 王 before 张), not by code point
//! (which follows radicals and strokes). A Han character counts by its common reading without
//! tone — a surname by its reading as a surname (曾 zeng, 单 shan, 解 xie) —; anything else by
//! itself, Latin letters in any case alike. Names that read the same keep a fixed order by
//! their characters.
use std::cmp::Ordering;

use pinyin::ToPinyin;

/// Surnames read otherwise than the character's common reading.
const SURNAMES: [(char, &str); 16] = [
    ('单', "shan"),
    ('曾', "zeng"),
    ('解', "xie"),
    ('仇', "qiu"),
    ('朴', "piao"),
    ('查', "zha"),
    ('区', "ou"),
    ('盖', "ge"),
    ('缪', "miao"),
    ('覃', "qin"),
    ('乐', "yue"),
    ('种', "chong"),
    ('召', "shao"),
    ('员', "yun"),
    ('秘', "bi"),
    ('翟', "zhai"),
];

/// The key a name sorts by: each Han character's reading followed by a space (so that 西安,
/// `xi an`, comes before 先, `xian`, as in a dictionary), other characters as they are.
pub fn name_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 3);
    for (i, c) in name.trim_start().chars().enumerate() {
        let surname = SURNAMES.iter().find(|(s, _)| i == 0 && *s == c);
        match (surname, c.to_pinyin()) {
            (Some((_, reading)), _) => {
                key.push_str(reading);
                key.push(' ');
            }
            (None, Some(reading)) => {
                key.push_str(reading.plain());
                key.push(' ');
            }
            (None, None) => key.extend(c.to_lowercase()),
        }
    }
    key
}

/// Two names in 拼音 order, then by their characters.
pub fn by_name(a: &str, b: &str) -> Ordering {
    name_key(a).cmp(&name_key(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_by_their_reading() {
        let mut names = vec![
            "张伟",
            "赵磊",
            "王芳",
            "李娜",
            "陈静",
            "刘洋",
            "Li Ming",
            "欧阳秀兰",
        ];
        names.sort_by(|a, b| by_name(a, b));
        assert_eq!(
            names,
            [
                "陈静",
                "Li Ming",
                "李娜",
                "刘洋",
                "欧阳秀兰",
                "王芳",
                "张伟",
                "赵磊"
            ]
        );
        // A shorter reading first, as in a dictionary; the same reading by characters.
        assert!(by_name("西安", "先") == Ordering::Less);
        assert!(by_name("李二", "里二") != Ordering::Equal);
        assert_eq!(by_name("王芳", "王芳"), Ordering::Equal);
        // A surname by its reading as a surname, the same character elsewhere as usual.
        assert!(
            name_key("曾国藩").starts_with("zeng "),
            "{}",
            name_key("曾国藩")
        );
        assert!(name_key("单田芳").starts_with("shan "));
        assert!(name_key("解缙").starts_with("xie "));
        assert!(name_key("王曾").ends_with("ceng "), "{}", name_key("王曾"));
    }
}
