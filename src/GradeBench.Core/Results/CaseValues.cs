using GradeBench.Core.Rubrics;

namespace GradeBench.Core.Results;

/// <summary>One model's values of one criterion, case by case, as numbers: case i (in the order of its first value) is
/// <see cref="CaseNumbers"/>[i] of the criterion's <see cref="CriterionCases.CaseIds"/>, and its values are
/// <see cref="Values"/>[<see cref="Starts"/>[i] .. <see cref="Starts"/>[i + 1]], indices into
/// <see cref="CriterionCases.Values"/>, in input order.</summary>
public sealed record ModelCases(string Model, int[] CaseNumbers, int[] Starts, int[] Values)
{
    public int CaseCount => CaseNumbers.Length;
}

/// <summary>One criterion's model tables to compute: its distinct <see cref="Values"/>, the study's case ids in ordinal
/// order (case numbers index them), and per model its cases. <see cref="Categories"/> are the shares' categories
/// (unused for likert and numeric criteria, which get a mean and a median).</summary>
public sealed record CriterionCases(Criterion Criterion, IReadOnlyList<string> Categories, string[] Values, string[] CaseIds,
    IReadOnlyList<ModelCases> Models);

/// <summary>Builds <see cref="CriterionCases"/> from the results input in one pass over the ratings, with every id and
/// value turned into a number once (the large study: 1.6M values; dictionaries of strings per value were seconds).</summary>
public static class CaseValues
{
    /// <summary>Per criterion (in the order given), per model (in the order given): the raters' values in input order,
    /// then consensus values, which (on consensus) replace the raters' values of their response × criterion.</summary>
    public static IReadOnlyList<CriterionCases> Of(ResultsInput input, IReadOnlyList<ResultCriterion> criteria, IReadOnlyList<string> models,
        bool onConsensus, Func<Criterion, IEnumerable<string>, IReadOnlyList<string>> categories)
    {
        var caseIds = input.Responses.Select(r => r.CaseId).Distinct().Order(StringComparer.Ordinal).ToArray();
        var caseNumber = caseIds.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
        var modelNumber = models.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i, StringComparer.Ordinal);
        var responses = new Dictionary<long, (int Model, int Case)>(input.Responses.Count);
        foreach (var r in input.Responses) responses.TryAdd(r.Id, (modelNumber[r.Model], caseNumber[r.CaseId]));
        var consensus = onConsensus ? input.Consensus.ToDictionary(c => (c.ResponseId, c.CriterionId), c => c.Value) : [];
        var criterionIndex = criteria.Select((c, i) => (c.Id, i)).ToDictionary(x => x.Id, x => x.i);

        var builders = criteria.Select(_ => new Builder(models.Count, caseIds.Length)).ToArray();
        void Add(long criterionId, long responseId, string value)
        {
            if (criterionIndex.TryGetValue(criterionId, out var i) && responses.TryGetValue(responseId, out var response))
                builders[i].Add(response.Model, response.Case, value);
        }
        foreach (var r in input.Ratings)
            if (consensus.Count == 0 || !consensus.ContainsKey((r.ResponseId, r.CriterionId))) Add(r.CriterionId, r.ResponseId, r.Value);
        foreach (var ((responseId, criterionId), value) in consensus) Add(criterionId, responseId, value);

        return criteria.Select((c, i) =>
        {
            var values = builders[i].DistinctValues;
            return new CriterionCases(c.Criterion, categories(c.Criterion, values), values, caseIds,
                models.Select((m, n) => builders[i].Cases(m, n)).ToList());
        }).ToList();
    }

    /// <summary>One criterion's values as (model, case, value) numbers in arrival order, grouped by case at the end.</summary>
    sealed class Builder(int modelCount, int caseCount)
    {
        readonly Dictionary<string, int> _valueIndex = new(StringComparer.Ordinal);
        readonly List<string> _values = [];
        readonly List<(int Model, int Slot, int Value)> _entries = [];
        readonly int[] _slotOf = Enumerable.Repeat(-1, modelCount * caseCount).ToArray(); // [model * cases + case]
        readonly List<int>[] _caseOrder = Enumerable.Range(0, modelCount).Select(_ => new List<int>()).ToArray();

        public string[] DistinctValues => [.. _values];

        public void Add(int model, int @case, string value)
        {
            if (!_valueIndex.TryGetValue(value, out var v))
            {
                _valueIndex[value] = v = _values.Count;
                _values.Add(value);
            }
            ref var slot = ref _slotOf[model * caseCount + @case];
            if (slot < 0)
            {
                slot = _caseOrder[model].Count;
                _caseOrder[model].Add(@case);
            }
            _entries.Add((model, slot, v));
        }

        public ModelCases Cases(string model, int number)
        {
            var order = _caseOrder[number];
            var starts = new int[order.Count + 1];
            foreach (var e in _entries)
                if (e.Model == number) starts[e.Slot + 1]++;
            for (var i = 0; i < order.Count; i++) starts[i + 1] += starts[i];
            var values = new int[starts[^1]];
            var next = starts[..^1];
            foreach (var e in _entries)
                if (e.Model == number) values[next[e.Slot]++] = e.Value;
            return new ModelCases(model, [.. order], starts, values);
        }
    }
}
