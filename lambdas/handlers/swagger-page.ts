/**
 * The Swagger UI page. Every URL in it is relative, so it works under the API Gateway stage path (/v1/docs) and
 * locally (/docs) alike.
 */
export function swaggerPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>LLM Gateway API</title>
<link rel="stylesheet" href="docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="docs/swagger-ui-bundle.js"></script>
<script>
window.ui = SwaggerUIBundle({ url: 'openapi.json', dom_id: '#swagger-ui', deepLinking: true });
</script>
</body>
</html>
`;
}
