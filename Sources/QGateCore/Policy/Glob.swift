/// A path glob as people write them in CI configs: `*` within a path segment, `**` across
/// segments, `?` one character, `[abc]` a class. Compiled once; matching allocates nothing.
public struct Glob: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let tokens: [Token]

    private enum Token: Sendable, Equatable, Hashable {
        case literal(Character)
        case any            // ?
        case star           // *
        case globstar       // **
        case set([Character], negated: Bool)
    }

    /// Why a pattern is not a glob (an unclosed `[`).
    public struct SyntaxError: Error, Sendable { public var message: String }

    public init(_ pattern: String) throws {
        self.pattern = pattern
        var tokens: [Token] = []
        let chars = Array(pattern)
        var index = 0
        while index < chars.count {
            let char = chars[index]
            switch char {
            case "*":
                if index + 1 < chars.count, chars[index + 1] == "*" {
                    tokens.append(.globstar)
                    index += 2
                    // `**/` also matches zero directories.
                    if index < chars.count, chars[index] == "/" { index += 1 }
                    continue
                }
                tokens.append(.star)
            case "?":
                tokens.append(.any)
            case "[":
                guard let close = chars[(index + 1)...].firstIndex(of: "]"), close > index + 1 else {
                    throw SyntaxError(message: "'[' at position \(index + 1) is never closed")
                }
                var members = Array(chars[(index + 1)..<close])
                let negated = members.first == "!" || members.first == "^"
                if negated { members.removeFirst() }
                tokens.append(.set(members, negated: negated))
                index = close
            default:
                tokens.append(.literal(char))
            }
            index += 1
        }
        self.tokens = tokens
    }

    public var description: String { pattern }

    public func matches(_ text: String) -> Bool {
        Glob.match(tokens[...], Array(text)[...])
    }

    private static func match(_ tokens: ArraySlice<Token>, _ text: ArraySlice<Character>) -> Bool {
        guard let token = tokens.first else { return text.isEmpty }
        let rest = tokens.dropFirst()
        switch token {
        case .literal(let char):
            return text.first == char && match(rest, text.dropFirst())
        case .any:
            guard let first = text.first, first != "/" else { return false }
            return match(rest, text.dropFirst())
        case .set(let members, let negated):
            guard let first = text.first, first != "/" else { return false }
            return members.contains(first) != negated && match(rest, text.dropFirst())
        case .star:
            var candidate = text
            while true {
                if match(rest, candidate) { return true }
                guard let first = candidate.first, first != "/" else { return false }
                candidate = candidate.dropFirst()
            }
        case .globstar:
            var candidate = text
            while true {
                if match(rest, candidate) { return true }
                guard !candidate.isEmpty else { return false }
                candidate = candidate.dropFirst()
            }
        }
    }
}
