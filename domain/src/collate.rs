//! People's and units' names in the order Chinese readers look them up: by 拼音, as a
//! dictionary or a roster printed by hand lists them (李 before 王 before 张), not by code point
//! (which follows radicals and strokes). A Han character counts by its common reading without
//! tone — a surname by its reading as a surname (曾 zeng, 单 shan, 解 xie) —; anything else by
//! itself, Latin letters in any case alike. Names that read the same keep a fixed order by
//! their characters. Units' names (`by_label`) are numbered more often than not — 第一网格党支部
//! … 第十二网格党支部, 3号楼党小组 —: their numbers count as numbers.
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
    reading_key(name, true)
}

/// `name_key`, with the first character read as a surname or not (a unit's name has none:
/// 解放路 is jie fang lu, 3单元 dan yuan).
fn reading_key(name: &str, surname_first: bool) -> String {
    let mut key = String::with_capacity(name.len() * 3);
    for (i, c) in name.trim_start().chars().enumerate() {
        let surname = SURNAMES
            .iter()
            .find(|(s, _)| surname_first && i == 0 && *s == c);
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

/// Chinese numerals a unit's number is written in (万 and 两 are left out: in names they are
/// words more often than numbers — 万达, 两新组织).
const NUMERALS: &str = "〇零一二三四五六七八九十百千";

/// One run of a unit's name: a number (Arabic or Chinese), or the reading of the text between.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Number(u64),
    Text(String),
}

/// The key a unit's name sorts by: its numbers as numbers, the rest by reading.
fn label_key(name: &str) -> Vec<Part> {
    let mut parts = Vec::new();
    let mut chars = name.trim_start().chars().peekable();
    let mut text = String::new();
    while let Some(&c) = chars.peek() {
        let arabic = digit(c).is_some();
        if !arabic && !NUMERALS.contains(c) {
            text.push(c);
            chars.next();
            continue;
        }
        let same_kind = |d: char| {
            if arabic {
                digit(d).is_some()
            } else {
                NUMERALS.contains(d)
            }
        };
        let mut run = String::new();
        while let Some(d) = chars.next_if(|d| same_kind(*d)) {
            run.push(d);
        }
        match number_of(&run, arabic) {
            Some(n) => {
                if !text.is_empty() {
                    parts.push(Part::Text(reading_key(&std::mem::take(&mut text), false)));
                }
                parts.push(Part::Number(n));
            }
            None => text.push_str(&run),
        }
    }
    if !text.is_empty() {
        parts.push(Part::Text(reading_key(&text, false)));
    }
    parts
}

/// The number a run of digits or Chinese numerals stands for; none if it stands for none
/// (十十) or is too long to count.
fn number_of(run: &str, arabic: bool) -> Option<u64> {
    if arabic {
        run.chars().try_fold(0u64, |n, c| {
            n.checked_mul(10)?.checked_add(u64::from(digit(c)?))
        })
    } else {
        chinese_number::from_chinese_to_u64_ten_thousand(run).ok()
    }
}

/// A digit's value, ASCII or full-width (１号楼, as typed with a Chinese input method).
fn digit(c: char) -> Option<u32> {
    c.to_digit(10)
        .or_else(|| ('０'..='９').contains(&c).then(|| c as u32 - '０' as u32))
}

/// Two units' names in order: numbers as numbers (第二 before 第十, 2号楼 before 10号楼), the
/// text around them by reading, then by their characters.
pub fn by_label(a: &str, b: &str) -> Ordering {
    label_key(a).cmp(&label_key(b)).then_with(|| a.cmp(b))
}

/// Sorts units (anything with a name) by `by_label`, each key read once.
pub fn sort_by_label<T>(items: &mut [T], name: impl Fn(&T) -> &str) {
    items.sort_by_cached_key(|item| {
        let name = name(item);
        (label_key(name), name.to_owned())
    });
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

    #[test]
    fn numbered_units_sort_by_their_numbers() {
        let mut names = vec![
            "第十二网格党支部",
            "第二网格党支部",
            "第十网格党支部",
            "第一网格党支部",
            "第三网格党支部",
            "第二十一网格党支部",
            "离退休党支部",
            "第一百零五网格党支部",
        ];
        names.sort_by(|a, b| by_label(a, b));
        assert_eq!(
            names,
            [
                "第一网格党支部",
                "第二网格党支部",
                "第三网格党支部",
                "第十网格党支部",
                "第十二网格党支部",
                "第二十一网格党支部",
                "第一百零五网格党支部",
                "离退休党支部",
            ]
        );
        let mut groups = vec!["10号楼党小组", "2号楼党小组", "１号楼党小组", "长江路小学"];
        sort_by_label(&mut groups, |g| g);
        assert_eq!(
            groups,
            ["１号楼党小组", "2号楼党小组", "10号楼党小组", "长江路小学"]
        );
        // Runs that are no number, or too long to count, are text; nothing panics.
        for odd in [
            "十十",
            "百百千",
            "〇〇〇",
            "一二三四五六七八九十百千零〇一二三四五六七八九十百千零〇一二三四五六七八九十百千零",
            &"9".repeat(40),
            "",
            " ",
        ] {
            let _ = label_key(odd);
            assert_eq!(by_label(odd, odd), Ordering::Equal);
        }
        assert!(by_label("第九支部", "第十支部") == Ordering::Less);
        // No surname in a unit's name: 解放路 reads jie, before 金桥; 1单元 dan, before 1栋 dong.
        assert!(by_label("解放路党支部", "金桥党支部") == Ordering::Less);
        assert!(by_label("1单元党小组", "1栋党小组") == Ordering::Less);
        assert!(by_label("万达广场党支部", "两新组织党支部") != Ordering::Equal);
    }
}
