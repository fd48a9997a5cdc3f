// What a project template is made of: the files `init` writes and the request that shows the
// mesh answering.

/** A file `init` writes, with what to do when the project already has it. */
export interface ScaffoldFile {
  /** Project-relative, with `/`. */
  path: string;
  content: string;
  /**
   * `refuse`: init writes nothing and stops (a spec or hook file is the user's work, never replaced);
   * `keep`: the existing file stays as it is and init says so (tsconfig.json, README.md, ...).
   */
  ifExists: 'refuse' | 'keep';
  /** What the user should check in a kept file, said beside "kept". */
  keptNote?: string;
}

/** A request through the gateway and what it answers: for the README and the next steps. */
export interface TryIt {
  /** e.g. `http://localhost:8080/api/v1/greetings/Ada`. */
  url: string;
  /** A short description of the answer, e.g. `{"message":"Hello, Ada!"}`. */
  answer: string;
}

/** The files of a template besides package.json and the project-wide ones (tsconfig, README, ...). */
export interface ProjectTemplate {
  files: ScaffoldFile[];
  tryIt: TryIt;
}
