using GradeBench.Core.Messages;
using GradeBench.Core.Pairwise;
using static GradeBench.Core.Studies.BundleSyntax;

namespace GradeBench.Core.Studies;

/// <summary>What a side-by-side study's bundle holds beyond a study of single answers, read once study.json, cases and
/// responses are: at most one answer per model and case, the study's pairs (<see cref="PairFormation"/>, or those
/// study.json lists) and votes.csv (<see cref="VotesCsvReader"/>).</summary>
static class PairwiseBundleReader
{
    /// <param name="caseLines">Each case id's line in cases.jsonl; null when the file could not be read.</param>
    /// <param name="responseLines">Each response id's line in responses.jsonl; null when the file could not be read.</param>
    /// <param name="votesText">votes.csv's text; null when the bundle has none.</param>
    internal static (IReadOnlyList<BundlePair> Pairs, IReadOnlyList<BundleVote> Votes) Read(StudyDefinition study, bool designUsable,
        IReadOnlyList<StudyCase> cases, Dictionary<string, int>? caseLines, IReadOnlyList<ModelResponse> responses, Dictionary<string, int>? responseLines,
        ReadOnlyMemory<byte>? votesText, BundleReport report)
    {
        var design = study.Pairwise!;
        var answered = OneAnswerPerModel(responses, responseLines!, report);

        // Pairs are formed from the bundle as it is meant: when cases and responses read without errors.
        var whole = caseLines is not null && responseLines is not null && !report.HasErrorsIn(CasesFile) && !report.HasErrorsIn(ResponsesFile);
        var byId = responseLines is null || report.HasErrorsIn(ResponsesFile) ? null : responses.ToDictionary(r => r.Id, StringComparer.Ordinal);
        IReadOnlyList<BundlePair>? pairs = null;
        if (whole)
        {
            var models = answered.Keys.GroupBy(k => k.Case).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
            foreach (var item in cases)
                if (models.GetValueOrDefault(item.Id) < 2) report.Warn(CasesFile, caseLines![item.Id], "id", new Message("Bundle_CaseWithoutPairs", item.Id));
            var errorsBefore = report.ErrorCount;
            if (designUsable)
                pairs = design.ListedPairs is { } listed ? Listed(listed, byId!, cases, report)
                    : PairFormation.Form(study.Id, [.. cases.Select(c => c.Id)], responses, design.PairsPerCase);
            if (report.ErrorCount != errorsBefore) pairs = null;
        }
        var votes = votesText is { } text
            ? VotesCsvReader.Read(text, designUsable ? design : null, byId, pairs?.Select(p => (p.ResponseA, p.ResponseB)).ToHashSet(), report)
            : [];
        return (pairs ?? [], votes);
    }

    /// <summary>Refuses each answer by a model that has answered its case already: on an earlier line (named by its line)
    /// or, for answers added to a stored study, in <paramref name="stored"/> (named by its response id). Returns the line
    /// of each case and model's first answer in the file.</summary>
    internal static Dictionary<(string Case, string Model), int> OneAnswerPerModel(IReadOnlyList<ModelResponse> responses,
        Dictionary<string, int> responseLines, BundleReport report, IReadOnlyDictionary<(string Case, string Model), string>? stored = null)
    {
        var answered = new Dictionary<(string Case, string Model), int>();
        foreach (var response in responses)
        {
            var line = responseLines[response.Id];
            if (stored?.GetValueOrDefault((response.CaseId, response.Model)) is { } storedId)
                report.Error(ResponsesFile, line, "model", new Message("Bundle_ModelAnsweredCaseInStudy", response.CaseId, response.Model, storedId));
            else if (answered.TryGetValue((response.CaseId, response.Model), out var first))
                report.Error(ResponsesFile, line, "model", new Message("Bundle_SecondAnswerByModel", response.CaseId, response.Model, first));
            else answered[(response.CaseId, response.Model)] = line;
        }
        return answered;
    }

    /// <summary>The pairs study.json lists, A first, in case order and then as listed; each must be two answers to one
    /// case by different models, listed once.</summary>
    static List<BundlePair> Listed(IReadOnlyList<ListedPair> listed, Dictionary<string, ModelResponse> responses, IReadOnlyList<StudyCase> cases,
        BundleReport report)
    {
        var pairs = new List<BundlePair>();
        var seen = new HashSet<(string, string)>();
        for (var i = 0; i < listed.Count; i++)
        {
            var (first, second, path) = (listed[i].First, listed[i].Second, $"pairwise.pairs[{i}]");
            void Error(Message message) => report.Error(StudyFile, listed[i].Line, path, message);
            var (a, b) = (responses.GetValueOrDefault(first), responses.GetValueOrDefault(second));
            if (a is null) Error(new Message("Bundle_UnknownResponse", first));
            if (b is null) Error(new Message("Bundle_UnknownResponse", second));
            if (a is null || b is null) continue;
            if (a.CaseId != b.CaseId) Error(new Message("Bundle_PairCases", first, second));
            else if (a.Model == b.Model) Error(new Message("Bundle_PairSameModel", first, second, a.Model));
            else
            {
                if (string.CompareOrdinal(a.Model, b.Model) > 0) (a, b) = (b, a);
                if (seen.Add((a.Id, b.Id))) pairs.Add(new BundlePair(a.CaseId, a.Id, b.Id));
                else Error(new Message("Bundle_PairListedTwice", a.Id, b.Id));
            }
        }
        var caseOrder = cases.Select((c, i) => (c.Id, i)).ToDictionary(c => c.Id, c => c.i, StringComparer.Ordinal);
        return [.. pairs.OrderBy(p => caseOrder[p.CaseId])];
    }
}
