using GradeBench.Core.Results;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Results;

/// <summary>The demo study's imported ratings (data/demo-stroke/ratings.csv) as the results are computed from them,
/// with responses, raters and criteria numbered in file order the way an import numbers them.</summary>
static class DemoStudyInput
{
    public static ResultsInput Load()
    {
        var bundle = BundleReader.Read(TestPaths.DemoBundle).Bundle!;
        var responses = bundle.Responses.Select((r, i) => new ResultResponse(i + 1, r.CaseId, r.Model)).ToList();
        var responseIds = bundle.Responses.Select((r, i) => (r.Id, i + 1L)).ToDictionary();
        var raterIds = bundle.Ratings.Select(r => r.Rater).Distinct().Select((name, i) => (name, i + 1L)).ToDictionary();
        var criterionIds = bundle.Study.Criteria.Select((c, i) => (c.Id, i + 1L)).ToDictionary();
        var ratings = bundle.Ratings
            .Select(r => new ResultRating(criterionIds[r.CriterionId], responseIds[r.ResponseId], raterIds[r.Rater], r.Value))
            .ToList();
        return new ResultsInput(
            bundle.Study.Criteria.Select(c => new ResultCriterion(criterionIds[c.Id], c)).ToList(), responses,
            raterIds.Select(r => new ResultRater(r.Value, r.Key)).ToList(), ratings, [], [], [], []);
    }
}
