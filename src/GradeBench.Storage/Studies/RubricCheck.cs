using System.Globalization;
using GradeBench.Core.Rubrics;

namespace GradeBench.Storage.Studies;

/// <summary>What is wrong with one criterion's edit, each problem named by the criterion's stored label and the field
/// as the editor shows it. The scale is fixed: an edit may relabel options and anchors, never add one.</summary>
static class RubricCheck
{
    public static IEnumerable<RubricEditError> Problems(Criterion? criterion, CriterionEdit edit)
    {
        if (criterion is null)
        {
            yield return new($"\"{edit.Slug}\"", "Criterion", "the study has no such criterion; criteria cannot be added here");
            yield break;
        }
        if (string.IsNullOrWhiteSpace(edit.Label)) yield return new(criterion.Label, "Label", "cannot be empty");
        foreach (var (point, label) in edit.AnchorLabels.OrderBy(a => a.Key))
        {
            var field = $"Anchor {point.ToString(CultureInfo.InvariantCulture)}";
            if (!criterion.Anchors.Any(a => a.Value == point.ToString(CultureInfo.InvariantCulture)))
                yield return new(criterion.Label, field, "is not a point of the scale; anchors cannot be added here");
            else if (string.IsNullOrWhiteSpace(label)) yield return new(criterion.Label, field, "cannot be empty");
        }
        foreach (var (value, label) in edit.OptionLabels)
        {
            var position = criterion.Options.Select(o => o.Value).ToList().IndexOf(value);
            if (position < 0) yield return new(criterion.Label, $"Option \"{value}\"", "is not on the scale; options cannot be added here");
            else if (string.IsNullOrWhiteSpace(label)) yield return new(criterion.Label, $"Option {position + 1}", "cannot be empty");
        }
    }
}
