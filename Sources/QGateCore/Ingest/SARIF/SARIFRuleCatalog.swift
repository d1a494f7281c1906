/// Where a rule lives in a run: which tool component (0 is the driver, `n` is
/// `tool.extensions[n - 1]`) and which entry of that component's rule table.
struct SARIFRuleHandle: Hashable {
    let component: Int
    let index: Int
}

/// The rules of one run, from the driver and every extension, and the SARIF rule-resolution
/// order. Real tools get the references wrong in known ways (Trivy's 2021 template restarts
/// `ruleIndex` per scan target; CodeQL keeps every rule in an extension), so an index is only
/// trusted when the rule it points at has the id the result claims.
struct SARIFRuleCatalog {
    /// The outcome of resolving one result's rule reference.
    struct Resolution {
        let handle: SARIFRuleHandle?
        /// True when `result.ruleIndex` named a rule with another id (and was ignored).
        let ignoredWrongIndex: Bool
    }

    private let components: [SARIFToolComponent]
    private let idsByComponent: [[String: Int]]
    /// Every rule id of the run, the driver's first, for results that name a rule only by id.
    private let idsInRun: [String: SARIFRuleHandle]

    init(tool: SARIFTool) {
        components = [tool.driver] + (tool.extensions ?? [])
        var idsByComponent: [[String: Int]] = []
        var idsInRun: [String: SARIFRuleHandle] = [:]
        for (componentIndex, component) in components.enumerated() {
            var ids: [String: Int] = [:]
            for (ruleIndex, rule) in (component.rules ?? []).enumerated() {
                guard let id = rule.id, ids[id] == nil else { continue }
                ids[id] = ruleIndex
                if idsInRun[id] == nil { idsInRun[id] = SARIFRuleHandle(component: componentIndex, index: ruleIndex) }
            }
            idsByComponent.append(ids)
        }
        self.idsByComponent = idsByComponent
        self.idsInRun = idsInRun
    }

    /// Every rule of the run with its handle, for precomputing what each rule implies.
    var allRules: [(handle: SARIFRuleHandle, rule: SARIFRule)] {
        components.enumerated().flatMap { componentIndex, component in
            (component.rules ?? []).enumerated().map { (SARIFRuleHandle(component: componentIndex, index: $0.offset), $0.element) }
        }
    }

    func rule(_ handle: SARIFRuleHandle) -> SARIFRule? {
        guard let rules = components[safe: handle.component]?.rules else { return nil }
        return rules[safe: handle.index]
    }

    /// Resolves, in order: `result.rule` (with its `toolComponent`), `result.ruleIndex` into the
    /// driver when the rule there has the claimed id, then the claimed id itself, exactly and
    /// then without its trailing `/…` parts (`CA2000/1`, `CVE-2018-14618/curl`).
    func resolve(ruleId: String?, ruleIndex: Int?, reference: SARIFDescriptorReference?) -> Resolution {
        let claimedID = ruleId ?? reference?.id
        if let reference, let component = componentIndex(for: reference.toolComponent),
            let handle = lookUp(index: reference.index, id: claimedID, in: component)
        {
            return Resolution(handle: handle, ignoredWrongIndex: false)
        }
        var ignoredWrongIndex = false
        if let ruleIndex, let rule = components[0].rules?[safe: ruleIndex] {
            if claimedID == nil || rule.id == claimedID {
                return Resolution(handle: SARIFRuleHandle(component: 0, index: ruleIndex), ignoredWrongIndex: false)
            }
            ignoredWrongIndex = true
        }
        return Resolution(handle: claimedID.flatMap(lookUpInRun(id:)), ignoredWrongIndex: ignoredWrongIndex)
    }

    /// A rule reference as used by `ruleConfigurationOverrides[].descriptor`.
    func resolve(_ reference: SARIFDescriptorReference) -> SARIFRuleHandle? {
        resolve(ruleId: nil, ruleIndex: nil, reference: reference).handle
    }

    private func lookUp(index: Int?, id: String?, in component: Int) -> SARIFRuleHandle? {
        if let index, let rule = components[component].rules?[safe: index], id == nil || rule.id == id {
            return SARIFRuleHandle(component: component, index: index)
        }
        guard let id, let found = idsByComponent[component][id] else { return nil }
        return SARIFRuleHandle(component: component, index: found)
    }

    private func lookUpInRun(id: String) -> SARIFRuleHandle? {
        var candidate = Substring(id)
        while true {
            if let handle = idsInRun[String(candidate)] { return handle }
            guard let slash = candidate.lastIndex(of: "/") else { return nil }
            candidate = candidate[..<slash]
        }
    }

    /// No reference means the driver; `toolComponent.index` points into `tool.extensions`; a guid
    /// or name may name the driver too. Nil when the reference names no component of this run.
    private func componentIndex(for reference: SARIFToolComponentReference?) -> Int? {
        guard let reference else { return 0 }
        if let index = reference.index {
            return index >= 0 && index + 1 < components.count ? index + 1 : nil
        }
        if let guid = reference.guid {
            return components.firstIndex { $0.guid?.caseInsensitiveCompare(guid) == .orderedSame }
        }
        if let name = reference.name {
            return components.firstIndex { $0.name == name }
        }
        return 0
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? {
        index >= 0 && index < count ? self[index] : nil
    }
}
