namespace GradeBench.Core.Studies;

/// <summary>The order in which responses are stored: by their random <see cref="ResponseHandle"/>, so that database ids
/// (which coordinators' addresses show) follow no bundle order either: not the file's (case-001.model-a,
/// case-001.model-b, …), not a hash of the bundle ids (which anyone guessing model names could recompute).</summary>
public static class InsertionOrder
{
    /// <summary>Each response with its handle (<paramref name="handles"/>, one per response in the same order), sorted by
    /// handle.</summary>
    public static IReadOnlyList<(ModelResponse Response, string Handle)> Responses(IReadOnlyList<ModelResponse> responses, IReadOnlyList<string> handles)
    {
        if (responses.Count != handles.Count) throw new ArgumentException("One handle per response.", nameof(handles));
        return responses.Zip(handles).OrderBy(p => p.Second, StringComparer.Ordinal).ToList();
    }
}
