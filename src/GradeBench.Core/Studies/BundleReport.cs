namespace GradeBench.Core.Studies;

/// <summary>The errors and warnings found so far, each placed on a file, line and field.</summary>
sealed class BundleReport(List<BundleError> errors)
{
    public List<BundleError> Errors { get; } = errors;
    public List<BundleError> Warnings { get; } = [];
    public void Error(string file, int line, string field, string message) => Errors.Add(new(file, line, field, message));
    public void Warn(string file, int line, string field, string message) => Warnings.Add(new(file, line, field, message));
}

/// <summary>What study.json says about criterion ids beyond the valid criteria: whether the rubric could be
/// read at all, and the ids of criteria that are defined but invalid (already reported in study.json).</summary>
sealed class RubricIds
{
    public bool Usable { get; set; }
    public HashSet<string> Invalid { get; } = [];
}
