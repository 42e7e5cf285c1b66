using FsCheck.Xunit;
using GradeBench.Core.Pairwise;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Tests.Pairwise;

/// <summary><see cref="PairFormation"/>: every pair, or N per case spread evenly over the pairs of models and the models,
/// the same for the same bundle. FsCheck draws integers; the shape (cases, models, N) is derived from them.</summary>
public sealed class PairFormationTests
{
    static readonly string[] Models = ["gpt", "llama", "med-palm", "claude", "gemini", "qwen", "mistral"];

    /// <summary><paramref name="cases"/> cases, each answered by all of the first <paramref name="models"/> models but
    /// those <paramref name="missing"/> leaves out of it.</summary>
    static (string[] Cases, ModelResponse[] Responses) Study(int cases, int models, Func<int, int, bool>? missing = null)
    {
        var caseIds = Enumerable.Range(1, cases).Select(c => $"case-{c:D3}").ToArray();
        var responses = caseIds.SelectMany((c, i) => Models.Take(models).Where((_, m) => missing?.Invoke(i, m) != true)
            .Select(m => new ModelResponse($"{c}.{m}", c, m, "answer", null))).ToArray();
        return (caseIds, responses);
    }

    static Dictionary<(string, string), int> ModelPairUses(IEnumerable<BundlePair> pairs, IReadOnlyDictionary<string, ModelResponse> byId, int models)
    {
        var uses = new Dictionary<(string, string), int>();
        var names = Models.Take(models).Order(StringComparer.Ordinal).ToArray();
        for (var a = 0; a < names.Length; a++)
            for (var b = a + 1; b < names.Length; b++) uses[(names[a], names[b])] = 0;
        foreach (var p in pairs) uses[(byId[p.ResponseA].Model, byId[p.ResponseB].Model)]++;
        return uses;
    }

    [Fact]
    public void AllComparesEveryTwoModelsThatAnsweredACaseWithAFirstInOrdinalOrder()
    {
        var (cases, responses) = Study(3, 3, missing: (c, m) => c == 1 && m == 2 || c == 2 && m > 0);

        var pairs = PairFormation.Form("s", cases, responses, perCase: null);

        Assert.Equal([
            new BundlePair("case-001", "case-001.gpt", "case-001.llama"),
            new BundlePair("case-001", "case-001.gpt", "case-001.med-palm"),
            new BundlePair("case-001", "case-001.llama", "case-001.med-palm"),
            new BundlePair("case-002", "case-002.gpt", "case-002.llama"),
        ], pairs);
    }

    [Fact]
    public void ATieOnModelPairUsesGoesToTheModelsSeenLeast()
    {
        // Four models, one pair per case: the second case compares the two models the first left out.
        var (cases, responses) = Study(2, 4);
        var byId = responses.ToDictionary(r => r.Id);

        var pairs = PairFormation.Form("any-study", cases, responses, perCase: 1);

        var models = pairs.Select(p => new[] { byId[p.ResponseA].Model, byId[p.ResponseB].Model }).ToArray();
        Assert.Equal(4, models.SelectMany(m => m).Distinct().Count());
    }

    [Fact]
    public void TheSeedIsTheFirstEightBytesOfTheSha256OfTheStudyIdLittleEndian()
    {
        // python3: struct.unpack('<Q', hashlib.sha256(b'stroke-side-by-side').digest()[:8])[0]
        Assert.Equal(0x7fdc9e2d665f32e6UL, PairFormation.Seed("stroke-side-by-side"));
    }

    [Property(MaxTest = 300)]
    public void ModelPairsAreComparedInCaseCountsThatDifferByAtMostOne(int cases, int models, int perCase, string studyId)
    {
        var (c, m) = (1 + Math.Abs(cases % 60), 2 + Math.Abs(models % 6));
        var possible = m * (m - 1) / 2;
        var n = 1 + Math.Abs(perCase % possible);
        var (caseIds, responses) = Study(c, m);
        var byId = responses.ToDictionary(r => r.Id);

        var pairs = PairFormation.Form(studyId ?? "", caseIds, responses, n);

        var uses = ModelPairUses(pairs, byId, m).Values;
        Assert.InRange(uses.Max() - uses.Min(), 0, 1);
        Assert.Equal(c * n, pairs.Count);
    }

    [Property(MaxTest = 300)]
    public void ModelsAppearAboutEvenlyWhenEveryCaseHasEveryModel(int cases, int models, int perCase, string studyId)
    {
        var (c, m) = (1 + Math.Abs(cases % 60), 2 + Math.Abs(models % 6));
        var n = 1 + Math.Abs(perCase % (m * (m - 1) / 2));
        var (caseIds, responses) = Study(c, m);
        var byId = responses.ToDictionary(r => r.Id);

        var pairs = PairFormation.Form(studyId ?? "", caseIds, responses, n);

        var appearances = Models.Take(m).Select(model => pairs.Count(p => byId[p.ResponseA].Model == model || byId[p.ResponseB].Model == model)).ToArray();
        Assert.InRange(appearances.Max() - appearances.Min(), 0, 2);
    }

    [Property(MaxTest = 300)]
    public void EachCaseGetsNOfItsOwnPairsOrAllWhenItHasFewer(int cases, int models, int perCase, int gaps, string studyId)
    {
        var (c, m, n) = (1 + Math.Abs(cases % 40), 2 + Math.Abs(models % 6), 1 + Math.Abs(perCase % 8));
        var (caseIds, responses) = Study(c, m, missing: (ci, mi) => (ci * 7 + mi * 3 + gaps) % 5 == 0);
        var byId = responses.ToDictionary(r => r.Id);

        var pairs = PairFormation.Form(studyId ?? "", caseIds, responses, n);

        foreach (var caseId in caseIds)
        {
            var answered = responses.Count(r => r.CaseId == caseId);
            var own = pairs.Where(p => p.CaseId == caseId).ToList();
            Assert.Equal(Math.Min(n, answered * (answered - 1) / 2), own.Count);
            Assert.Equal(own.Count, own.Distinct().Count());
            Assert.All(own, p => Assert.True(byId[p.ResponseA].CaseId == caseId && byId[p.ResponseB].CaseId == caseId));
            Assert.All(own, p => Assert.True(string.CompareOrdinal(byId[p.ResponseA].Model, byId[p.ResponseB].Model) < 0));
        }
    }

    [Property(MaxTest = 200)]
    public void TheSameBundleGivesTheSamePairs(int cases, int models, int perCase, string studyId)
    {
        var (c, m, n) = (1 + Math.Abs(cases % 40), 2 + Math.Abs(models % 6), 1 + Math.Abs(perCase % 8));
        var (caseIds, responses) = Study(c, m);

        var first = PairFormation.Form(studyId ?? "", caseIds, responses, n);
        var again = PairFormation.Form(studyId ?? "", caseIds, [.. responses.Reverse()], n);

        Assert.Equal(first, again);
    }

    [Fact]
    public void AnotherStudyIdChoosesOtherPairs()
    {
        var (cases, responses) = Study(20, 4);

        var chosen = new[] { "a", "b", "c" }.Select(id => PairFormation.Form(id, cases, responses, 2)).ToList();

        Assert.True(chosen.Select(p => string.Join(",", p)).Distinct().Count() > 1);
    }
}
