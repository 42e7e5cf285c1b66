using System.Security.Cryptography;
using System.Text;

namespace GradeBench.Core.Studies;

/// <summary>The order in which a bundle's responses are stored. Database ids appear in raters' URLs; stored in file
/// order (case-001.model-a, case-001.model-b, …) an id would give away its model in a blinded study. Sorting by
/// SHA-256 of <c>"{studyId}/{responseId}"</c> makes ids carry nothing about the model, and is the same on every import.</summary>
public static class InsertionOrder
{
    public static IReadOnlyList<ModelResponse> Responses(string studyId, IEnumerable<ModelResponse> responses) =>
        responses.OrderBy(r => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{studyId}/{r.Id}"))), StringComparer.Ordinal).ToList();
}
