/** What a test script gets from `import ... from 'squall/generators'`. */
export {};
