using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Studies;

/// <summary>How a ratings.csv row's criterion that the rubric lacks was resolved (<see cref="CaseChecklists.Find"/>).</summary>
enum CaseCriterionLookup
{
    /// <summary>A criterion of the response's case.</summary>
    Found,
    /// <summary>A criterion of the response's case that is invalid: its error is in cases.jsonl.</summary>
    Invalid,
    /// <summary>A criterion of some other case only.</summary>
    OtherCase,
    /// <summary>No case has a criterion of that id.</summary>
    Unknown,
    /// <summary>Not known: cases.jsonl could not be read, or the response's case is not known (its own error).</summary>
    CannotTell,
}

/// <summary>The checklists cases.jsonl defines and the case each response answers: what a ratings.csv row naming a
/// criterion the rubric lacks is checked against. ratings.csv is read beside cases.jsonl and responses.jsonl
/// (<see cref="BundleReader"/>), so such a row waits until both are read (<see cref="Complete"/>); a bundle without any
/// such row never waits.</summary>
sealed class CaseChecklists
{
    // By case id: its valid criteria (as the binary criteria marks are checked against) and the ids of its invalid ones.
    readonly Dictionary<string, Dictionary<string, Criterion>> _valid = [];
    readonly Dictionary<string, HashSet<string>> _invalid = [];
    // Every case criterion id defined in some case, valid or not.
    readonly HashSet<string> _anywhere = [];
    readonly TaskCompletionSource _known = new(TaskCreationOptions.RunContinuationsAsynchronously);
    bool _casesRead;
    IReadOnlyDictionary<string, string>? _caseOf;

    /// <summary>Whether some case gives criteria (valid or not).</summary>
    public bool Any => _anywhere.Count > 0;

    /// <summary>Records a case line's checklist; a case id given twice keeps its first line's (the second is an error).</summary>
    public void Add(string caseId, IReadOnlyList<CaseCriterion> valid, IReadOnlySet<string> invalid)
    {
        if (_valid.ContainsKey(caseId) || (valid.Count == 0 && invalid.Count == 0)) return;
        _valid[caseId] = valid.ToDictionary(c => c.Id, c => c.AsCriterion());
        _invalid[caseId] = [.. invalid];
        _anywhere.UnionWith(valid.Select(c => c.Id));
        _anywhere.UnionWith(invalid);
    }

    /// <summary>Called once cases.jsonl and responses.jsonl are read: whether cases.jsonl could be read at all, and the case
    /// id of every response line that names one (null when responses.jsonl could not be read).</summary>
    public void Complete(bool casesRead, IReadOnlyDictionary<string, string>? caseOfResponse)
    {
        (_casesRead, _caseOf) = (casesRead, caseOfResponse);
        _known.TrySetResult();
    }

    void WaitUntilKnown()
    {
        if (!_known.Task.IsCompleted) _known.Task.GetAwaiter().GetResult();
    }

    /// <summary>The criterion <paramref name="criterionId"/> of the case that <paramref name="responseId"/> answers.</summary>
    public (CaseCriterionLookup Lookup, Criterion? Criterion, string? CaseId) Find(string responseId, string criterionId)
    {
        WaitUntilKnown();
        if (!_casesRead) return (CaseCriterionLookup.CannotTell, null, null);
        if (!_anywhere.Contains(criterionId)) return (CaseCriterionLookup.Unknown, null, null);
        if (_caseOf is null || !_caseOf.TryGetValue(responseId, out var caseId)) return (CaseCriterionLookup.CannotTell, null, null);
        if (_valid.TryGetValue(caseId, out var own) && own.TryGetValue(criterionId, out var criterion)) return (CaseCriterionLookup.Found, criterion, caseId);
        if (_invalid.TryGetValue(caseId, out var invalid) && invalid.Contains(criterionId)) return (CaseCriterionLookup.Invalid, null, caseId);
        return (CaseCriterionLookup.OtherCase, null, caseId);
    }

    /// <summary>The ids of the valid criteria of the case <paramref name="responseId"/> answers; none when not known.</summary>
    public IEnumerable<string> CriteriaOf(string responseId)
    {
        WaitUntilKnown();
        return _caseOf is not null && _caseOf.TryGetValue(responseId, out var caseId) && _valid.TryGetValue(caseId, out var own) ? own.Keys : [];
    }
}
