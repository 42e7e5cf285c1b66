using GradeBench.Storage.Adjudication;

namespace GradeBench.Web.Features.Adjudication;

/// <summary>The queue's filters, carried in the address (<c>?safety=1&amp;unresolved=1&amp;criterion=harm_extent</c>) so that
/// an item page's Previous and Next go through the same items as the queue the coordinator came from.</summary>
public sealed record AdjudicationFilter(bool SafetyOnly, bool UnresolvedOnly, string? CriterionId)
{
    public static readonly AdjudicationFilter None = new(false, false, null);

    public static AdjudicationFilter From(string? safety, string? unresolved, string? criterion) =>
        new(safety == "1", unresolved == "1", string.IsNullOrEmpty(criterion) ? null : criterion);

    public bool IsActive => SafetyOnly || UnresolvedOnly || CriterionId is not null;

    /// <summary>The query string (with its "?"), or "" when nothing is filtered.</summary>
    public string Query
    {
        get
        {
            var parts = new List<string>();
            if (SafetyOnly) parts.Add("safety=1");
            if (UnresolvedOnly) parts.Add("unresolved=1");
            if (CriterionId is not null) parts.Add($"criterion={Uri.EscapeDataString(CriterionId)}");
            return parts.Count == 0 ? "" : "?" + string.Join("&", parts);
        }
    }

    public bool Matches(AdjudicationItemSummary item) =>
        (!SafetyOnly || item.Safety) && (!UnresolvedOnly || item.Status != "resolved") &&
        (CriterionId is null || item.DisagreeingCriterionIds.Contains(CriterionId));

    /// <summary>The queue in the order it is worked through: safety alerts first, then by the responses' (and pairs') random handles
    /// (item numbers follow the order items were made, which raters must not learn). The order does not depend on the
    /// status, so resolving an item does not move it and Next goes on from where the coordinator is.</summary>
    public static IReadOnlyList<AdjudicationItemSummary> InWorkOrder(IEnumerable<AdjudicationItemSummary> items) =>
        items.OrderByDescending(i => i.Safety).ThenBy(i => i.Handle, StringComparer.Ordinal).ToList();

    /// <summary>The paths (<see cref="ItemPath"/>) of the items before and after <paramref name="itemId"/> that this filter
    /// shows (the current item need not match: it may just have been resolved), and its place among the shown ones when it
    /// is one of them.</summary>
    public (string? Previous, string? Next, int Place, int Count) Around(IReadOnlyList<AdjudicationItemSummary> items, long itemId)
    {
        var ordered = InWorkOrder(items);
        var index = ordered.ToList().FindIndex(i => i.ItemId == itemId);
        var shown = ordered.Where(Matches).ToList();
        if (index < 0) return (null, null, 0, shown.Count);
        var previous = ordered.Take(index).LastOrDefault(Matches) is { } before ? ItemPath(before) : null;
        var next = ordered.Skip(index + 1).FirstOrDefault(Matches) is { } after ? ItemPath(after) : null;
        return (previous, next, shown.FindIndex(i => i.ItemId == itemId) + 1, shown.Count);
    }

    /// <summary>Where an item's page is, under the queue's address: a response's handle, or <c>pairs/</c> and a pair's
    /// (a pair and a response may in principle share a handle, so the two never share an address).</summary>
    public static string ItemPath(AdjudicationItemSummary item) => item.PairId is null ? item.Handle : $"pairs/{item.Handle}";
}
