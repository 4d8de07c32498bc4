// Starts Swagger UI on the page's #swagger-ui element; the document's URL is its data-spec.
// A file of its own (not an inline script) so the page's CSP can stay script-src 'self'.
(function () {
  var element = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: element.getAttribute("data-spec"),
    dom_id: "#swagger-ui",
    deepLinking: true,
    displayOperationId: true,
    docExpansion: "none",
    filter: true,
    withCredentials: true,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
