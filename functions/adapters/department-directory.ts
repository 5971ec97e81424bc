/**
 * Departments come from config/departments.json (validated at cold start); deploying a change to the file is how
 * a department is added or renamed. The DEPT# items seed.ts writes are a mirror for operators, not a source.
 */
import type { Department } from '../config/schema';
import type { DepartmentDirectory } from '../usecases/ports';

export class ConfigDepartmentDirectory implements DepartmentDirectory {
  private readonly byCode: ReadonlyMap<string, Department>;

  constructor(departments: readonly Department[]) {
    this.byCode = new Map(departments.map((d) => [d.code, d]));
  }

  list(): Promise<Department[]> {
    return Promise.resolve([...this.byCode.values()]);
  }

  get(code: string): Promise<Department | undefined> {
    return Promise.resolve(this.byCode.get(code));
  }
}
