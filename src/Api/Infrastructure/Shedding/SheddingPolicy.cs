namespace TicketAspire.Api.Infrastructure.Shedding;

/// <summary>The decision, apart from the measuring: which class a request is and whether a load sheds it.</summary>
public static class SheddingPolicy
{
    /// <summary>The class of a request by path and method.</summary>
    public static RequestClass Classify(PathString path, string method)
    {
        if (!ApiPaths.IsApi(path))
        {
            return RequestClass.Exempt;
        }

        if (HttpMethods.IsGet(method) && ApiPaths.IsStream(path))
        {
            return RequestClass.Stream;
        }

        return HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? RequestClass.Browse : RequestClass.Purchase;
    }

    /// <summary>True when a request of <paramref name="kind"/> is refused at <paramref name="load"/>.</summary>
    public static bool Sheds(RequestClass kind, double load, SheddingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Enabled && kind switch
        {
            RequestClass.Browse or RequestClass.Stream => load >= options.BrowseThreshold,
            RequestClass.Purchase => load >= options.PurchaseThreshold,
            _ => false,
        };
    }
}
