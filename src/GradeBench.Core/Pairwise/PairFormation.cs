using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using GradeBench.Core.Grading;
using GradeBench.Core.Studies;

namespace GradeBench.Core.Pairwise;

/// <summary>Two answers to one case by different models, compared side by side: <see cref="ResponseA"/> is the answer
/// whose model comes first in ordinal order, <see cref="ResponseB"/> the other (bundle response ids). Votes are stored
/// by A and B, never by the side a rater saw.</summary>
public sealed record BundlePair(string CaseId, string ResponseA, string ResponseB);

/// <summary>Which pairs of answers a side-by-side study compares (study.json's <c>pairwise.pairs</c>,
/// docs/assignment.md, "Pairs"): every two answers to a case by different models, or N of them per case chosen so that
/// every pair of models is compared in as equal a number of cases as possible, or the pairs a bundle lists.</summary>
/// <remarks>
/// <para>N per case is a greedy over the cases in bundle order: each case takes, one at a time, the pair of its models
/// with the smallest key (cases the model pair was compared in so far, pairs the two models were in so far together,
/// tie-break rank). The rank is a Fisher–Yates shuffle of the case's candidate pairs drawn afresh for each case from
/// one <see cref="SplitMix64"/> stream seeded with <see cref="Seed"/> of the study's id, so the same bundle always
/// gives the same pairs. Because the pair's own count comes first, when every case has the same models the counts of
/// the model pairs differ by at most one at the end: if they are within {u, u+1} before a case, taking its N smallest
/// leaves them within {u, u+1} or {u+1, u+2}.</para>
/// </remarks>
public static class PairFormation
{
    /// <summary>The seed of a study's choice of pairs: the first 8 bytes, read little-endian, of SHA-256 (FIPS 180-4) of
    /// the UTF-8 study id as in study.json (fixed by this file, not by <see cref="string.GetHashCode()"/>).</summary>
    public static ulong Seed(string studyId)
    {
        ArgumentNullException.ThrowIfNull(studyId);
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(studyId), hash);
        return BinaryPrimitives.ReadUInt64LittleEndian(hash);
    }

    /// <summary>The study's pairs, case by case in the order of <paramref name="caseIds"/>, and within a case by the
    /// models' ordinal order (A's model, then B's). A case answered by fewer than two models has none.</summary>
    /// <param name="responses">The answers, at most one per model and case (the reader checks this).</param>
    /// <param name="perCase">How many pairs each case gives; null: every pair.</param>
    public static IReadOnlyList<BundlePair> Form(string studyId, IReadOnlyList<string> caseIds, IReadOnlyList<ModelResponse> responses, int? perCase)
    {
        ArgumentNullException.ThrowIfNull(caseIds);
        ArgumentNullException.ThrowIfNull(responses);
        if (perCase is < 1) throw new ArgumentOutOfRangeException(nameof(perCase), perCase, "A case gives at least one pair.");
        var byCase = responses.GroupBy(r => r.CaseId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderBy(r => r.Model, StringComparer.Ordinal).ToArray(), StringComparer.Ordinal);
        var uses = new Dictionary<(string, string), int>();
        var appearances = new Dictionary<string, int>(StringComparer.Ordinal);
        var random = new SplitMix64(Seed(studyId));
        var pairs = new List<BundlePair>();
        foreach (var caseId in caseIds)
        {
            if (!byCase.TryGetValue(caseId, out var answers)) continue;
            for (var i = 1; i < answers.Length; i++)
                if (answers[i].Model == answers[i - 1].Model)
                    throw new ArgumentException($"Case {caseId} has two answers by {answers[i].Model}.", nameof(responses));
            var candidates = new List<(int A, int B)>();
            for (var a = 0; a < answers.Length; a++)
                for (var b = a + 1; b < answers.Length; b++) candidates.Add((a, b));
            var kept = candidates;
            if (perCase is { } n && n < candidates.Count) kept = Choose(candidates, n, answers, uses, appearances, ref random);
            else foreach (var (a, b) in kept) Count(answers[a].Model, answers[b].Model, uses, appearances);
            pairs.AddRange(kept.Order().Select(p => new BundlePair(caseId, answers[p.A].Id, answers[p.B].Id)));
        }
        return pairs;
    }

    /// <summary><paramref name="n"/> of a case's candidate pairs, taken one at a time by the key (cases of the model
    /// pair so far, appearances of its two models so far, shuffled rank), counting each as it is taken so that a case's
    /// pairs spread over its models.</summary>
    static List<(int A, int B)> Choose(List<(int A, int B)> candidates, int n, ModelResponse[] answers,
        Dictionary<(string, string), int> uses, Dictionary<string, int> appearances, ref SplitMix64 random)
    {
        var rank = new int[candidates.Count];
        for (var i = 0; i < rank.Length; i++) rank[i] = i;
        random.Shuffle(rank.AsSpan());
        var taken = new bool[candidates.Count];
        var chosen = new List<(int A, int B)>(n);
        for (var s = 0; s < n; s++)
        {
            var best = -1;
            (int Uses, int Appearances, int Rank) bestKey = default;
            for (var c = 0; c < candidates.Count; c++)
            {
                if (taken[c]) continue;
                var (ma, mb) = (answers[candidates[c].A].Model, answers[candidates[c].B].Model);
                var key = (uses.GetValueOrDefault((ma, mb)), appearances.GetValueOrDefault(ma) + appearances.GetValueOrDefault(mb), rank[c]);
                if (best < 0 || key.CompareTo(bestKey) < 0) (best, bestKey) = (c, key);
            }
            taken[best] = true;
            chosen.Add(candidates[best]);
            Count(answers[candidates[best].A].Model, answers[candidates[best].B].Model, uses, appearances);
        }
        return chosen;
    }

    static void Count(string modelA, string modelB, Dictionary<(string, string), int> uses, Dictionary<string, int> appearances)
    {
        uses[(modelA, modelB)] = uses.GetValueOrDefault((modelA, modelB)) + 1;
        appearances[modelA] = appearances.GetValueOrDefault(modelA) + 1;
        appearances[modelB] = appearances.GetValueOrDefault(modelB) + 1;
    }
}
