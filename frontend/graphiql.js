// GraphiQL for partner developers, served by Dudao itself (no CDN, under the same
// Content-Security-Policy as the app). A signed-in browser's access token is used, so
// the schema's docs and autocompletion work at once; other tokens go in the headers tab.
const token = (() => {
  try { return JSON.parse(localStorage.getItem('dudao.access') ?? 'null'); } catch { return null; }
})();
const fetcher = GraphiQL.createFetcher({
  url: '/graphql',
  headers: token ? { Authorization: `Bearer ${token}` } : {},
});
ReactDOM.createRoot(document.getElementById('graphiql')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultEditorToolsVisibility: true,
    defaultQuery: '# 督导 Dudao GraphQL API\n# Sign in at / first, or put "Authorization": "Bearer <token>" in Headers.\n{\n  me { name role }\n}\n',
  }),
);
