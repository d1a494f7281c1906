import Foundation

/// A number a gate needs, or the reason it could not be measured ("the run has no coverage
/// report"). The reason ends up in the gate's message, so that a skipped or failed gate says why.
public enum MetricReading: Sendable, Equatable {
    case value(Double)
    case unavailable(String)

    public var value: Double? {
        if case .value(let value) = self { return value }
        return nil
    }
}

/// The values of a trend window, oldest first, the run's own value last.
public struct TrendWindow: Sendable, Equatable {
    public var values: [Double]
    public var branch: String

    public init(values: [Double], branch: String) {
        self.values = values
        self.branch = branch
    }

    /// Least-squares slope of the values against their position (per run).
    public var slope: Double {
        let n = Double(values.count)
        guard values.count >= 2 else { return 0 }
        let meanX = (n - 1) / 2
        let meanY = values.reduce(0, +) / n
        var numerator = 0.0, denominator = 0.0
        for (index, value) in values.enumerated() {
            let dx = Double(index) - meanX
            numerator += dx * (value - meanY)
            denominator += dx * dx
        }
        return numerator / denominator
    }

    /// The median of every value but the last (the run's own).
    public var earlierMedian: Double {
        let earlier = values.dropLast().sorted()
        guard !earlier.isEmpty else { return values.last ?? 0 }
        let middle = earlier.count / 2
        return earlier.count % 2 == 1 ? earlier[middle] : (earlier[middle - 1] + earlier[middle]) / 2
    }
}

/// Judges one gate from the numbers the evaluator measured. Pure: the same inputs always give
/// the same ``GateResult``, wording included.
public struct GateJudge: Sendable {
    public var gate: Gate
    public var value: MetricReading
    /// The baseline run's value (scope `all` only); `.unavailable` with the reason otherwise.
    public var baseline: MetricReading
    /// The trend window, or why there is none.
    public var trend: Result<TrendWindow, TrendUnavailable>?
    public var onMissing: MissingAction
    public var fingerprints: [String]

    /// Why a trend could not be computed.
    public struct TrendUnavailable: Error, Sendable, Equatable {
        public var reason: String
        public init(_ reason: String) { self.reason = reason }
    }

    public init(
        gate: Gate, value: MetricReading, baseline: MetricReading, trend: Result<TrendWindow, TrendUnavailable>? = nil,
        onMissing: MissingAction, fingerprints: [String] = []
    ) {
        self.gate = gate
        self.value = value
        self.baseline = baseline
        self.trend = trend
        self.onMissing = onMissing
        self.fingerprints = fingerprints
    }

    private enum Check {
        case met
        case violated(String)
        case missing(String)
    }

    public func judge() -> GateResult {
        let checks: [Check]
        switch value {
        case .unavailable(let reason):
            checks = [.missing(reason)]
        case .value(let actual):
            checks = boundCheck(actual) + deltaCheck(actual) + trendCheck(actual)
        }

        var status: GateResult.Status = .pass
        var messages: [String] = []
        var anyMet = false
        var anyMissingSkipped = false
        for check in checks {
            switch check {
            case .met:
                anyMet = true
            case .violated(let message):
                status = Self.worse(status, gate.level == .fail ? .fail : .warn)
                messages.append(message)
            case .missing(let reason):
                switch onMissing {
                case .pass:
                    anyMissingSkipped = true
                    messages.append("\(reason); not checked (on_missing: pass)")
                case .warn:
                    status = Self.worse(status, .warn)
                    messages.append("\(reason); warning (on_missing: warn)")
                case .fail:
                    status = .fail
                    messages.append("\(reason); failing (on_missing: fail)")
                }
            }
        }
        if status == .pass, anyMissingSkipped, !anyMet { status = .skipped }

        let baselineValue = baseline.value
        let actual = value.value
        return GateResult(
            name: gate.name, metric: gate.metric, scope: gate.scope, level: gate.level, status: status,
            actual: actual, bound: boundText, baseline: baselineValue,
            delta: actual.flatMap { actual in baselineValue.map { actual - $0 } },
            message: messages.isEmpty ? "" : Self.sentence(messages.joined(separator: "; ")),
            findingFingerprints: fingerprints)
    }

    private static func worse(_ a: GateResult.Status, _ b: GateResult.Status) -> GateResult.Status {
        func rank(_ status: GateResult.Status) -> Int {
            switch status {
            case .pass, .skipped: 0
            case .warn: 1
            case .fail: 2
            }
        }
        return rank(b) > rank(a) ? b : a
    }

    /// Messages are clauses (they start with a metric name, which keeps its case) ended by a full stop.
    private static func sentence(_ text: String) -> String {
        text.hasSuffix(".") ? text : text + "."
    }

    // MARK: checks

    private func boundCheck(_ actual: Double) -> [Check] {
        guard let bound = gate.bound else { return [] }
        if bound.contains(actual) { return [.met] }
        let subject = describeValue(actual)
        if let min = bound.min, actual < min - 1e-9 {
            return [.violated("\(subject); the minimum is \(Self.number(min, percent: gate.metric.isPercent))")]
        }
        return [.violated("\(subject); the maximum is \(Self.number(bound.max ?? 0, percent: gate.metric.isPercent))")]
    }

    private func deltaCheck(_ actual: Double) -> [Check] {
        guard let delta = gate.delta else { return [] }
        guard case .value(let base) = baseline else {
            if case .unavailable(let reason) = baseline { return [.missing(reason)] }
            return []
        }
        let change = actual - base
        if delta.contains(change) { return [.met] }
        let unit = gate.metric.isPercent ? " points" : ""
        let from = Self.number(base, percent: gate.metric.isPercent), to = Self.number(actual, percent: gate.metric.isPercent)
        let limit =
            change < (delta.min ?? -.infinity) - 1e-9
            ? "the minimum change is \(Self.signed(delta.min ?? 0))\(unit)"
            : "the maximum change is \(Self.signed(delta.max ?? 0))\(unit)"
        return [
            .violated("\(gate.metric.rawValue) changed by \(Self.signed(change))\(unit) since the baseline (\(from) → \(to)); \(limit)")
        ]
    }

    private func trendCheck(_ actual: Double) -> [Check] {
        guard let spec = gate.trend, let trend else { return [] }
        let window: TrendWindow
        switch trend {
        case .failure(let unavailable): return [.missing(unavailable.reason)]
        case .success(let found): window = found
        }
        var checks: [Check] = []
        let runs = "the last \(window.values.count) runs of branch \(window.branch)"
        if let slopeBound = spec.slope {
            let slope = window.slope
            if slopeBound.contains(slope) {
                checks.append(.met)
            } else {
                let limit =
                    slope < (slopeBound.min ?? -.infinity) - 1e-9
                    ? "the minimum slope is \(Self.signed(slopeBound.min ?? 0))"
                    : "the maximum slope is \(Self.signed(slopeBound.max ?? 0))"
                checks.append(.violated("\(gate.metric.rawValue) moves by \(Self.signed(slope)) per run over \(runs); \(limit)"))
            }
        }
        if let medianBound = spec.fromMedian {
            let median = window.earlierMedian
            let difference = actual - median
            if medianBound.contains(difference) {
                checks.append(.met)
            } else {
                let limit =
                    difference < (medianBound.min ?? -.infinity) - 1e-9
                    ? "the minimum is \(Self.signed(medianBound.min ?? 0))" : "the maximum is \(Self.signed(medianBound.max ?? 0))"
                checks.append(
                    .violated(
                        "\(gate.metric.rawValue) is \(Self.signed(difference)) from the median \(Self.number(median, percent: gate.metric.isPercent)) of the \(window.values.count - 1) runs before it on branch \(window.branch); \(limit)"
                    ))
            }
        }
        return checks
    }

    private func describeValue(_ actual: Double) -> String {
        guard gate.metric == .findings else {
            return "\(gate.metric.rawValue) is \(Self.number(actual, percent: gate.metric.isPercent))"
        }
        let count = Self.number(actual, percent: false)
        let scope = gate.scope == .all ? "" : gate.scope.rawValue + " "
        return "found \(count) \(scope)finding\(actual == 1 ? "" : "s")"
    }

    // MARK: text

    /// "≤ 0", "≥ 80", "Δ ≥ -0.5", "slope ≥ -0.1 over 10 runs", joined with ", ".
    public var boundText: String {
        var parts: [String] = []
        if let bound = gate.bound { parts.append(Self.describe(bound, signed: false)) }
        if let delta = gate.delta { parts.append("Δ " + Self.describe(delta, signed: true)) }
        if let trend = gate.trend {
            if let slope = trend.slope { parts.append("slope \(Self.describe(slope, signed: true)) over \(trend.window) runs") }
            if let median = trend.fromMedian { parts.append("vs median \(Self.describe(median, signed: true)) over \(trend.window) runs") }
        }
        return parts.joined(separator: ", ")
    }

    static func describe(_ bound: Bound, signed: Bool) -> String {
        let format: (Double) -> String = { signed ? GateJudge.signed($0) : GateJudge.number($0, percent: false) }
        switch (bound.min, bound.max) {
        case let (min?, max?) where min == max: return "= \(format(min))"
        case let (min?, max?): return "≥ \(format(min)) and ≤ \(format(max))"
        case let (min?, nil): return "≥ \(format(min))"
        case let (nil, max?): return "≤ \(format(max))"
        case (nil, nil): return "any"
        }
    }

    /// Integers without decimals, others with at most two; percents as every output writes
    /// them (``ReportFormatting/percent(_:)``: `72.97%`), so a note and the table agree.
    public static func number(_ value: Double, percent: Bool) -> String {
        percent ? ReportFormatting.percent(value) : NumberText.format(value)
    }

    /// With an explicit sign: "+2", "-0.88", "0".
    public static func signed(_ value: Double) -> String {
        let text = NumberText.format(value)
        return value > 0 && text != "0" ? "+" + text : text
    }
}

/// How numbers are printed in messages and tables: at most two decimals, no trailing zeros,
/// never "-0".
public enum NumberText {
    public static func format(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "n/a" : (value > 0 ? "∞" : "-∞") }
        let rounded = (value * 100).rounded() / 100
        if rounded == 0 { return "0" }
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
