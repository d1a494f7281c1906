/// Finds YAML anchors (`&name`) and aliases (`*name`) in a policy's text before it is parsed.
///
/// A policy has no use for them, and aliases are how "billion laughs" documents explode: Yams
/// composes an alias by sharing the anchored node, but hashing a mapping key or walking the
/// tree visits every copy. So they are refused before Yams sees the text. The scanner is a
/// small lexer that knows where a YAML node may start (line start, after `- `, `? `, `: `,
/// `[`, `{`, `,`, a tag) and skips quoted scalars, block scalars and comments; the loader
/// additionally refuses any anchored node Yams reports, in case a corner escaped the lexer.
///
/// Its most common catch is not an attack but an unquoted glob: `path: **/*.py` is an alias
/// in YAML, and the hint says to quote it.
struct YAMLAliasScanner {
    /// One anchor or alias, with its 1-based position (columns in Unicode scalars, as libyaml counts).
    struct Occurrence: Equatable {
        enum Kind: Equatable { case anchor, alias }
        var kind: Kind
        /// The whole token, sigil included: `&defaults`, `**/*.py`.
        var token: String
        var line: Int
        var column: Int
    }

    private enum Mode { case between, plain, doubleQuoted, singleQuoted }

    static func scan(_ text: String) -> [Occurrence] {
        var found: [Occurrence] = []
        var mode = Mode.between
        var flowDepth = 0
        var blockScalarIndent: Int?
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let scalars = Array(line.unicodeScalars.filter { $0 != "\r" })
            let indent = scalars.prefix { $0 == " " }.count
            if let parentIndent = blockScalarIndent {
                if indent == scalars.count || indent > parentIndent { continue }
                blockScalarIndent = nil
            }
            if mode == .plain { mode = .between }
            var atNodeStart = mode == .between
            var index = 0
            lineLoop: while index < scalars.count {
                let char = scalars[index]
                let next: Unicode.Scalar? = index + 1 < scalars.count ? scalars[index + 1] : nil
                let nextIsBlank = next.map(isBlank) ?? true
                switch mode {
                case .doubleQuoted:
                    if char == "\\" { index += 1 } else if char == "\"" { mode = .between; atNodeStart = false }
                case .singleQuoted:
                    if char == "'" {
                        if next == "'" { index += 1 } else { mode = .between; atNodeStart = false }
                    }
                case .plain:
                    if char == ":" && (nextIsBlank || (flowDepth > 0 && isFlowIndicator(next))) {
                        mode = .between
                        atNodeStart = true
                    } else if isBlank(char) && next == "#" {
                        break lineLoop
                    } else if flowDepth > 0 && isFlowIndicator(char) {
                        mode = .between
                        continue lineLoop
                    }
                case .between:
                    if isBlank(char) { break }
                    if char == "#" { break lineLoop }
                    if atNodeStart && (char == "&" || char == "*") {
                        var end = index + 1
                        while end < scalars.count, !isBlank(scalars[end]), !(flowDepth > 0 && isFlowIndicator(scalars[end])) {
                            end += 1
                        }
                        if end > index + 1 {
                            var token = String.UnicodeScalarView()
                            token.append(contentsOf: scalars[index..<end])
                            found.append(
                                Occurrence(
                                    kind: char == "&" ? .anchor : .alias, token: String(token),
                                    line: lineNumber, column: index + 1))
                        }
                        index = end
                        continue lineLoop
                    }
                    switch char {
                    case "!" where atNodeStart:
                        while index < scalars.count, !isBlank(scalars[index]) { index += 1 }
                        continue lineLoop
                    case "\"" where atNodeStart:
                        mode = .doubleQuoted
                    case "'" where atNodeStart:
                        mode = .singleQuoted
                    case "|" where atNodeStart && flowDepth == 0, ">" where atNodeStart && flowDepth == 0:
                        blockScalarIndent = indent
                        break lineLoop
                    case "-" where atNodeStart && nextIsBlank, "?" where atNodeStart && nextIsBlank:
                        break
                    case "[", "{":
                        flowDepth += 1
                        atNodeStart = true
                    case "]", "}":
                        flowDepth = max(0, flowDepth - 1)
                        atNodeStart = false
                    case "," where flowDepth > 0:
                        atNodeStart = true
                    case ":" where nextIsBlank || (flowDepth > 0 && isFlowIndicator(next)):
                        atNodeStart = true
                    default:
                        mode = .plain
                        atNodeStart = false
                    }
                }
                index += 1
            }
        }
        return found
    }

    private static func isBlank(_ char: Unicode.Scalar) -> Bool { char == " " || char == "\t" }

    private static func isFlowIndicator(_ char: Unicode.Scalar?) -> Bool {
        char == "," || char == "[" || char == "]" || char == "{" || char == "}"
    }
}
