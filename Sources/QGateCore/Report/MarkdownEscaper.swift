/// Turns any string from a report (a message, rule, test name, path, package name) into
/// Markdown that renders as exactly that text on GitHub and GitLab, and nothing more.
///
/// A pull-request comment is rendered from strings an attacker can choose (a test name, a
/// file path in a fork). Escaped text must not become HTML (`<img onerror>`, `</details>`, a
/// forged `<!-- qgate:… -->` marker), a link or image, emphasis or code, a table break (`|`),
/// a new line or block, an @mention or #reference that notifies someone, an autolink, or a
/// bidirectional-override trick that makes a reviewer read something else. One escaper is
/// used by every Markdown path so that no section can forget a rule.
///
/// Rules, applied to Unicode scalars:
/// * `<` `>` `&` become entities, `|` becomes `&#124;` (GitHub splits cells on `|` even
///   inside code spans, but not on the entity).
/// * CR, LF, NEL, U+2028, U+2029 and tab become a space; other C0/C1 controls and DEL vanish.
/// * `\` `` ` `` `*` `_` `[` `]` `(` `)` `!` `~` `#` `$` get a backslash, so no link, image,
///   emphasis, code span, strike-through, heading or math can form.
/// * `@` or `#` before a word character gets a WORD JOINER (U+2060) after it: `@⁠org` and
///   `#⁠123` render as text but neither mentions nor references; so does the `-` of `GH-123`.
/// * A string that starts with `::` (after spaces) gets a backslash before it, so no log line
///   can start a workflow command; `##[` is already `\#\#\[`.
/// * `://` and `www.` get a WORD JOINER inside, so nothing autolinks.
/// * Bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are shown as
///   visible text (`U+202E`).
/// * The input is cut to `limit` Characters (grapheme clusters) *before* escaping, so a cut
///   never splits a character or an escape; a cut string ends with "…".
public enum MarkdownEscaper {
    /// The default cap per string, in Characters of the input.
    public static let defaultLimit = 500

    static let wordJoiner: Unicode.Scalar = "\u{2060}"

    public static func escape(_ text: String, limit: Int = defaultLimit) -> String {
        let (kept, wasCut) = text.truncated(toCharacters: limit)
        var out = ""
        out.reserveCapacity(kept.utf8.count + 16)
        let scalars = Array(kept.unicodeScalars)
        for (index, scalar) in scalars.enumerated() {
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            append(scalar, next: next, previous: scalars[max(0, index - 3)..<index], to: &out)
        }
        if wasCut { out += "…" }
        // A string that could start a log line must not start a workflow command (`::`).
        if let first = out.firstIndex(where: { $0 != " " }), out[first...].hasPrefix("::") { out.insert("\\", at: first) }
        return out
    }

    /// Keeps `[A-Za-z0-9._-]` and replaces anything else with `-`, for values placed inside
    /// the hidden marker (policy name, key), which Markdown escaping cannot make safe.
    public static func identifier(_ text: String, fallback: String = "default") -> String {
        let cleaned = String(
            String.UnicodeScalarView(
                text.unicodeScalars.prefix(64).map { scalar in
                    isIdentifierScalar(scalar) ? scalar : "-"
                }))
        return cleaned.isEmpty ? fallback : cleaned
    }

    private static func isIdentifierScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "A"..."Z", "a"..."z", "0"..."9", ".", "_", "-": true
        default: false
        }
    }

    private static func append(
        _ scalar: Unicode.Scalar, next: Unicode.Scalar?, previous: ArraySlice<Unicode.Scalar>,
        to out: inout String
    ) {
        switch scalar {
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "&": out += "&amp;"
        case "|": out += "&#124;"
        case "\r", "\n", "\t", "\u{85}", "\u{2028}", "\u{2029}": out += " "
        case "@":
            out.unicodeScalars.append(scalar)
            if let next, isWordScalar(next) { out.unicodeScalars.append(wordJoiner) }
        case "#":
            out += "\\#"
            if let next, isWordScalar(next) { out.unicodeScalars.append(wordJoiner) }
        case ":":
            out.unicodeScalars.append(scalar)
            if next == "/" { out.unicodeScalars.append(wordJoiner) }
        case "-":
            // `GH-123` is an issue reference too.
            out.unicodeScalars.append(scalar)
            let letters = previous.suffix(2).map { Character($0).lowercased() }.joined()
            if letters == "gh", let next, next.properties.numericType != nil { out.unicodeScalars.append(wordJoiner) }
        case ".":
            if previous.count == 3, previous.allSatisfy({ $0 == "w" || $0 == "W" }) { out.unicodeScalars.append(wordJoiner) }
            out.unicodeScalars.append(scalar)
        case "\\", "`", "*", "_", "[", "]", "(", ")", "!", "~", "$":
            out += "\\"
            out.unicodeScalars.append(scalar)
        case "\u{202A}"..."\u{202E}", "\u{2066}"..."\u{2069}", "\u{200E}", "\u{200F}", "\u{061C}":
            let hex = String(scalar.value, radix: 16, uppercase: true)
            out += "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
        case "\u{00}"..."\u{1F}", "\u{7F}"..."\u{9F}":
            break
        default:
            out.unicodeScalars.append(scalar)
        }
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
}

extension String {
    /// The first `limit` Characters and whether anything was cut; never walks past `limit`,
    /// so a 10 MB message costs no more than a short one.
    func truncated(toCharacters limit: Int) -> (text: Substring, wasCut: Bool) {
        guard let end = index(startIndex, offsetBy: Swift.max(0, limit), limitedBy: endIndex), end != endIndex else {
            return (self[...], false)
        }
        return (self[..<end], true)
    }

    /// `truncated(toCharacters:)` with "…" appended when something was cut.
    func capped(toCharacters limit: Int) -> String {
        let (text, wasCut) = truncated(toCharacters: limit)
        return wasCut ? String(text) + "…" : String(text)
    }
}
