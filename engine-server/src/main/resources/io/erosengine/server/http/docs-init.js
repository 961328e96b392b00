// Swagger UI over our OpenAPI document. LOCAL_TOKEN (defined above by the server) is a ready bearer
// token in zero-configuration mode on a loopback bind, else null.
window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  persistAuthorization: false,
  validatorUrl: null, // no badge from the online validator: nothing leaves the machine
  onComplete: function () {
    if (LOCAL_TOKEN) window.ui.preauthorizeApiKey("bearer", LOCAL_TOKEN);
  }
});
