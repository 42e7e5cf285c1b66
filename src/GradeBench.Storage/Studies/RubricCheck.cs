using System.Globalization;
using GradeBench.Core.Messages;
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
            yield return new($"\"{edit.Slug}\"", new Message("Rubric_FieldCriterion"), new Message("Rubric_NoSuchCriterion"));
            yield break;
        }
        var empty = new Message("Rubric_CannotBeEmpty");
        if (string.IsNullOrWhiteSpace(edit.Label)) yield return new(criterion.Label, new Message("Rubric_FieldLabel"), empty);
        foreach (var (point, label) in edit.AnchorLabels.OrderBy(a => a.Key))
        {
            var field = new Message("Rubric_FieldAnchor", point.ToString(CultureInfo.InvariantCulture));
            if (!criterion.Anchors.Any(a => a.Value == point.ToString(CultureInfo.InvariantCulture)))
                yield return new(criterion.Label, field, new Message("Rubric_NotAPoint"));
            else if (string.IsNullOrWhiteSpace(label)) yield return new(criterion.Label, field, empty);
        }
        foreach (var (value, label) in edit.OptionLabels)
        {
            var position = criterion.Options.Select(o => o.Value).ToList().IndexOf(value);
            if (position < 0) yield return new(criterion.Label, new Message("Rubric_FieldOptionValue", value), new Message("Rubric_NotAnOption"));
            else if (string.IsNullOrWhiteSpace(label)) yield return new(criterion.Label, new Message("Rubric_FieldOption", position + 1), empty);
        }
    }
}
