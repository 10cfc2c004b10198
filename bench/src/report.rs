//! Markdown output: tables, a target line that says met or missed, the report file.

use std::path::Path;

/// A Markdown table.
pub fn table(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut out = format!(
        "| {} |\n|{}\n",
        header.join(" | "),
        "---|".repeat(header.len())
    );
    for row in rows {
        out.push_str(&format!("| {} |\n", row.join(" | ")));
    }
    out
}

/// Writes `text` to `path` (making its folder), prints it, and says where it went.
pub fn publish(path: &Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)?;
    println!("{text}");
    eprintln!("report: {}", path.display());
    Ok(())
}

/// `met` or `MISSED`, for a target line.
pub fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "**MISSED**" }
}

/// Bytes as megabytes with one decimal.
pub fn mb(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_a_separator_row() {
        let text = table(&["a", "b"], &[vec!["1".into(), "2".into()]]);
        assert_eq!(text, "| a | b |\n|---|---|\n| 1 | 2 |\n");
        assert_eq!(mb(13_900_000), "13.9 MB");
    }
}
