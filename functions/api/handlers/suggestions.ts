/** POST /suggestions/category — the three likeliest categories for what the caller said, as the agent types. */
import { categoryModel, sopCatalog } from '../../composition';
import { suggestCategory } from '../../usecases/category-suggestions';
import { httpHandler } from '../http';
import { suggestCategoryBody } from '../schemas';

const ports = {
  model: categoryModel(),
  sops: async () => (await sopCatalog().list()).map((s) => ({ category: s.category, keywords: s.keywords })),
};

export const handler = httpHandler('suggestCategory', { body: suggestCategoryBody }, async ({ body }) => ({ body: await suggestCategory(ports, body.text) }));
