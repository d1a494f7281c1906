/// A path glob as people write them in CI configs: `*` within a path segment, `**` across
/// segments, `?` one character, `[abc]` a class. Compiled once; matching takes time linear in
/// the path for a given pattern (no backtracking, no recursion), and patterns are at most
/// ``maxLength`` characters, so hostile paths and globs cost milliseconds.
public struct Glob: Sendable, Equatable, Hashable, CustomStringConvertible {
    public let pattern: String
    private let tokens: [Token]
    /// The pattern itself when it has no wildcard: matching is then string equality.
    private let literal: String?

    /// The longest pattern accepted, in characters; real path globs are far shorter.
    public static let maxLength = 1_024

    private enum Token: Sendable, Equatable, Hashable {
        case literal(Character)
        case any  // ?
        case star  // *
        case globstar  // **
        case set([Character], negated: Bool)
    }

    /// Why a pattern is not a glob (an unclosed `[`).
    public struct SyntaxError: Error, Sendable { public var message: String }

    public init(_ pattern: String) throws {
        self.pattern = pattern
        guard pattern.count <= Self.maxLength else {
            throw SyntaxError(message: "the pattern is \(pattern.count) characters long; at most \(Self.maxLength) are allowed")
        }
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
        literal = tokens.allSatisfy { if case .literal = $0 { true } else { false } } ? pattern : nil
    }

    public var description: String { pattern }

    public func matches(_ text: String) -> Bool {
        if let literal { return text == literal }
        return Glob.match(tokens, Array(text))
    }

    /// Runs the pattern as a nondeterministic automaton over the text, one character at a time
    /// (Thompson's construction): state `i` means "the first `i` tokens matched". Time is the
    /// text's length times the states active at once (at most the tokens), never exponential,
    /// and nothing recurses, so no pattern or path can exhaust the stack.
    private static func match(_ tokens: [Token], _ text: [Character]) -> Bool {
        let accept = tokens.count
        var current: [Int] = []
        var next: [Int] = []
        var seen = [Int](repeating: -1, count: accept + 1)
        func add(_ state: Int, _ list: inout [Int], generation: Int) {
            var state = state
            while seen[state] != generation {
                seen[state] = generation
                list.append(state)
                // `*` and `**` may match nothing: the next token is reachable at once.
                guard state < accept else { return }
                switch tokens[state] {
                case .star, .globstar: state += 1
                default: return
                }
            }
        }
        add(0, &current, generation: 0)
        for (position, char) in text.enumerated() {
            let generation = position + 1
            next.removeAll(keepingCapacity: true)
            for state in current where state < accept {
                switch tokens[state] {
                case .literal(let expected):
                    if char == expected { add(state + 1, &next, generation: generation) }
                case .any:
                    if char != "/" { add(state + 1, &next, generation: generation) }
                case .set(let members, let negated):
                    if char != "/", members.contains(char) != negated { add(state + 1, &next, generation: generation) }
                case .star:
                    if char != "/" { add(state, &next, generation: generation) }
                case .globstar:
                    add(state, &next, generation: generation)
                }
            }
            if next.isEmpty { return false }
            swap(&current, &next)
        }
        return current.contains(accept)
    }
}
