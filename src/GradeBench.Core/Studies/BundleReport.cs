using System.Globalization;
using GradeBench.Core.Messages;

namespace GradeBench.Core.Studies;

/// <summary>The errors and warnings found so far, each placed on a file, line and field. Only the first
/// <see cref="BundleReader.MaxErrorsListed"/> of each are kept; the rest are counted, and listed as one
/// "… and N more" line: a bundle of 200,000 bad lines must not become 200,000 lines held and shown.</summary>
sealed class BundleReport
{
    readonly List<BundleError> _errors = [], _warnings = [];
    readonly HashSet<string> _filesWithErrors = [];
    int _warningCount;

    public BundleReport(IEnumerable<BundleError> found)
    {
        foreach (var error in found) Add(error);
    }

    /// <summary>Every error found so far, listed or not.</summary>
    public int ErrorCount { get; private set; }

    public bool HasErrorsIn(string file) => _filesWithErrors.Contains(file);

    public IReadOnlyList<BundleError> Errors => Listed(_errors, ErrorCount, more => new Message("Bundle_MoreErrors", more));
    public IReadOnlyList<BundleError> Warnings => Listed(_warnings, _warningCount, more => new Message("Bundle_MoreWarnings", more));

    public void Error(string file, int line, string field, Message message) => Add(new(file, line, field, message));

    public void Warn(string file, int line, string field, Message message)
    {
        if (++_warningCount <= BundleReader.MaxErrorsListed) _warnings.Add(new(file, line, field, message));
    }

    /// <summary>A report for one file read on another thread: it starts knowing which files have errors, and is
    /// <see cref="Append"/>ed to this one when done.</summary>
    public BundleReport Branch()
    {
        var branch = new BundleReport([]);
        branch._filesWithErrors.UnionWith(_filesWithErrors);
        return branch;
    }

    /// <summary>Adds a <see cref="Branch"/>'s errors and warnings after this report's own, listed as if found here.</summary>
    public void Append(BundleReport branch)
    {
        foreach (var error in branch._errors) Add(error);
        ErrorCount += branch.ErrorCount - branch._errors.Count;
        _filesWithErrors.UnionWith(branch._filesWithErrors);
        foreach (var warning in branch._warnings) Warn(warning.File, warning.Line, warning.Field, warning.Text);
        _warningCount += branch._warningCount - branch._warnings.Count;
    }

    /// <summary>Takes back the file reader's error that <paramref name="file"/>, required of most bundles, is missing:
    /// the reader knows no design, and a note-only study has no answers. Comes before any error of another file.</summary>
    public void WithdrawMissing(string file)
    {
        var removed = _errors.RemoveAll(e => e.File == file && e.Text.Key is "Bundle_RequiredFileMissing" or "Bundle_RequiredFileMissingFromZip");
        ErrorCount -= removed;
        if (removed > 0 && _errors.All(e => e.File != file)) _filesWithErrors.Remove(file);
    }

    void Add(BundleError error)
    {
        _filesWithErrors.Add(error.File);
        if (++ErrorCount <= BundleReader.MaxErrorsListed) _errors.Add(error);
    }

    /// <param name="more">"… and N more errors" (or warnings), given N.</param>
    static IReadOnlyList<BundleError> Listed(List<BundleError> listed, int count, Func<string, Message> more) => count <= listed.Count
        ? listed
        : [.. listed, new BundleError("", 0, "", more((count - listed.Count).ToString("N0", CultureInfo.InvariantCulture))) { Omitted = count - listed.Count }];
}

/// <summary>What study.json says about criterion ids beyond the valid criteria: whether the rubric could be
/// read at all, and the ids of criteria that are defined but invalid (already reported in study.json).</summary>
sealed class RubricIds
{
    public bool Usable { get; set; }
    public HashSet<string> Invalid { get; } = [];

    /// <summary>Whether a side-by-side study's <c>pairwise</c> object read without errors: only then are its pairs formed
    /// and votes.csv checked against its axes and reasons.</summary>
    public bool PairwiseUsable { get; set; }

    /// <summary>Where study.json gives <c>rubric.criteria</c> (else the nearest field that holds it).</summary>
    public int CriteriaLine { get; set; }
}
